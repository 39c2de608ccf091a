"""The policy change form (seed §8.2): only what the operator changed goes into the merge patch, typed as the
document holds it; the service's field errors land next to their fields."""

from console_service.entrypoints.http.policies_form import (
    campaigns,
    field_errors,
    form_values,
    merge_patch,
    validated,
)
from platform_shared.client.endpoint import as_json
from platform_shared.contracts.admin.models import ReasonIn
from platform_shared.contracts.policy import PolicyDocument

DOCUMENT = as_json(PolicyDocument(banners=("첫 공지",)))


def test_an_unchanged_form_is_an_empty_patch_and_a_change_is_typed_and_nested():
    shown = form_values(DOCUMENT)
    assert merge_patch(DOCUMENT, shown) == {}
    changed = {**shown, "weight_cap": "12.5", "quiet_hours.start": "23:00", "banners": "첫 공지\n둘째 공지\n",
               "event_bounds.adgate_required": "yes", "retry.max_attempts": "x"}
    assert merge_patch(DOCUMENT, changed) == {
        "weight_cap": 12.5, "quiet_hours": {"start": "23:00"}, "banners": ["첫 공지", "둘째 공지"],
        "event_bounds": {"adgate_required": True}, "retry": {"max_attempts": "x"}}


def test_errors_are_told_at_their_fields_and_the_rest_above_the_form():
    at_field, other = field_errors({"weight_cap": "> 0", "adgate_exceptions.1.valid_from": "date",
                                    "adgate_exceptions.1": "order", "document": "nothing"},
                                   ["weight_cap", "valid_from", "valid_until"])
    assert at_field == {"weight_cap": "> 0", "valid_from": "date", "valid_until": "order"}
    assert other == {"document": "nothing"}
    assert validated(ReasonIn, reason="x")[0] is None and "reason" in validated(ReasonIn, reason="x")[1]
    assert campaigns(" a, b  c") == ["a", "b", "c"] and campaigns("  ") is None
