"""Entry intake, as pure rules: one entry per user on the intake path; weights capped, raw weight kept;
an AdGate exemption only where the sponsor visit was not verified."""

import pytest

from lottery_service.domain.intake import NewEntry, entry_rows, refuse_already_entered, refuse_repeated_users
from platform_shared.errors import ConflictError


def test_a_batch_naming_a_user_twice_is_refused_whole() -> None:
    refuse_repeated_users([1, 2, 3])
    with pytest.raises(ConflictError, match="twice"):
        refuse_repeated_users([1, 2, 1])


def test_users_already_entered_are_named_in_the_refusal() -> None:
    refuse_already_entered([])
    with pytest.raises(ConflictError, match=r"already entered: kakao_user_id \[3, 7\]"):
        refuse_already_entered([7, 3, 7])


def test_the_weight_is_capped_the_raw_weight_kept_and_the_exemption_only_for_unverified_entries() -> None:
    rows = entry_rows("c-1", [NewEntry(1, 12.0, adgate_verified=True), NewEntry(2, 3.0)], source="api",
                      policy_version=4, weight_cap=10.0, exempt_reason="AdGate global bypass")

    assert [(r["raw_weight"], r["weight"]) for r in rows] == [(12.0, 10.0), (3.0, 3.0)]
    assert [r["adgate_exempt_reason"] for r in rows] == [None, "AdGate global bypass"]
    assert {(r["campaign_id"], r["policy_version"], r["source"]) for r in rows} == {("c-1", 4, "api")}
