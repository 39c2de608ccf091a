from typing import Any

import pytest
from pydantic import ValidationError

from platform_shared.contracts.policy import PolicyDocument
from platform_shared.errors import ConflictError
from policy_service.domain.changes import FieldChange, diff, merge_patch, proposed_document, refuse_if_stale


def test_a_merge_patch_merges_objects_removes_nulls_and_replaces_the_rest() -> None:
    target = {"a": 1, "b": {"c": 2, "d": 3}, "e": [1, 2]}
    assert merge_patch(target, {"b": {"c": None, "x": 9}, "e": [3], "a": None}) == {"b": {"d": 3, "x": 9}, "e": [3]}
    assert target == {"a": 1, "b": {"c": 2, "d": 3}, "e": [1, 2]}, "the target is not modified"


def test_a_patch_yields_the_whole_new_document_and_its_field_by_field_diff() -> None:
    current = PolicyDocument()
    new = proposed_document(current, values=None, patch={"weight_cap": 5, "quiet_hours": {"start": "23:00:00"}})
    assert diff(current, new) == [FieldChange("quiet_hours.start", "22:00:00", "23:00:00"),
                                  FieldChange("weight_cap", 10.0, 5.0)]
    removed = proposed_document(new, values=None, patch={"weight_cap": None})
    assert removed.weight_cap == PolicyDocument().weight_cap, "a removed key falls back to its default"


@pytest.mark.parametrize("patch, field", [
    ({"weight_cap": -1}, "weight_cap"), ({"quiet_hours": {"start": "late"}}, "start"),
    ({"retry": {"max_attempts": 0}}, "max_attempts"), ({"surprise": 1}, "surprise"),
])
def test_a_bad_proposal_is_refused_naming_the_field(patch: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        proposed_document(PolicyDocument(), values=None, patch=patch)
    assert field in str(refused.value.errors()[0]["loc"])


def test_a_proposal_confirms_only_onto_the_version_it_was_made_against() -> None:
    refuse_if_stale(3, 3)
    with pytest.raises(ConflictError, match="proposed against version 2, but version 3"):
        refuse_if_stale(2, 3)


def test_a_scoped_change_sets_the_named_campaigns_only() -> None:
    current = PolicyDocument()
    partial = proposed_document(current, values=None, patch={"weight_cap": 3}, scope=["spring-a", "spring-b"])
    assert diff(current, partial) == [FieldChange("campaigns.spring-a.weight_cap", None, 3.0),
                                      FieldChange("campaigns.spring-b.weight_cap", None, 3.0)]
    assert [partial.weight_cap_for(c) for c in ("spring-a", "spring-b", "other")] == [3.0, 3.0, 10.0]
    back = proposed_document(partial, values=None, patch={"weight_cap": None}, scope=["spring-a"])
    assert list(back.campaigns) == ["spring-b"], "a campaign with nothing of its own left runs on the platform's"


@pytest.mark.parametrize("proposal, message", [
    ({"values": None, "patch": {"quiet_hours": {"start": "23:00:00"}}, "scope": ["a"]}, "cannot be set per campaign"),
    ({"values": {"weight_cap": 3}, "patch": None, "scope": ["a"]}, "a patch of their values"),
    ({"values": None, "patch": {"weight_cap": 3}, "scope": []}, "name at least one campaign"),
])
def test_a_scoped_change_is_a_patch_of_per_campaign_values(proposal: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        proposed_document(PolicyDocument(), **proposal)


def test_a_scoped_change_refuses_a_bad_campaign_id_or_value() -> None:
    for scope, patch in ((["no spaces"], {"weight_cap": 3}), (["a"], {"weight_cap": -1})):
        with pytest.raises(ValidationError) as refused:
            proposed_document(PolicyDocument(), values=None, patch=patch, scope=scope)
        assert refused.value.errors()[0]["loc"][0] == "campaigns"
