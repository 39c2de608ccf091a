import pytest
from pydantic import ValidationError

from platform_shared.contracts.policy import PolicyDocument, policy_defaults


def test_defaults_are_the_runbook_values() -> None:
    policy = policy_defaults()
    assert (policy.quiet_hours.start.hour, policy.quiet_hours.end.hour) == (22, 8)
    assert policy.response_timeout_hours == 24
    assert policy.promotion_interval_minutes == 15


@pytest.mark.parametrize(("change", "field"), [
    ({"weight_cap": 0}, "weight_cap"),
    ({"retry": {"base_delay_seconds": 60, "max_delay_seconds": 10}}, "retry"),
    ({"promotion_interval_minutes": 0}, "promotion_interval_minutes"),
    ({"unknown_knob": True}, "unknown_knob"),
])
def test_bad_values_are_refused_naming_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        PolicyDocument.model_validate(change)
    assert field in {str(part) for error in refused.value.errors() for part in error["loc"]}


def test_an_adgate_exception_whose_period_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="valid_until must not be before valid_from"):
        PolicyDocument.model_validate({"adgate_exceptions": [
            {"campaign_id": "c", "reason": "sponsor outage", "valid_from": "2026-12-02", "valid_until": "2026-12-01"}]})
