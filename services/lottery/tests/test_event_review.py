import pytest

from lottery_service.domain.event_review import EventSettings, entry_weight_cap, refuse_out_of_bounds, review
from platform_shared.contracts.policy import CampaignPolicy, EventBounds, PolicyDocument
from platform_shared.errors import InvalidInputError

POLICY = PolicyDocument(weight_cap=10, event_bounds=EventBounds(min_cooldown_hours=24, adgate_required=True),
                        campaigns={"tight": CampaignPolicy(weight_cap=4)})


def event(campaign: str = "spring", cap: float | None = None, cooldown: float = 24,
          adgate: bool = True) -> EventSettings:
    return EventSettings(campaign, cap, cooldown, adgate)


def test_an_event_within_the_policy_bounds_has_nothing_to_review() -> None:
    assert review(event(cap=10), POLICY) == []
    assert review(event(cap=None, cooldown=48), POLICY) == []


@pytest.mark.parametrize("settings, field", [
    (event(cap=10.5), "weight_cap"),
    (event("tight", cap=5), "weight_cap"),  # the campaign's own cap (a partial change) is the bound
    (event(cooldown=23.5), "cooldown_hours"),
    (event(adgate=False), "requires_adgate"),
])
def test_each_setting_out_of_bounds_is_named(settings: EventSettings, field: str) -> None:
    assert [f.field for f in review(settings, POLICY)] == [field]
    with pytest.raises(InvalidInputError) as refused:
        refuse_out_of_bounds(settings, POLICY, policy_version=7)
    assert refused.value.field == field and "policy version 7" in refused.value.message


def test_entries_are_capped_by_the_stricter_of_event_and_policy() -> None:
    assert entry_weight_cap(event(cap=None), POLICY) == 10
    assert entry_weight_cap(event(cap=6), POLICY) == 6
    assert entry_weight_cap(event("tight", cap=6), POLICY) == 4, "an event the policy later tightened is capped by it"
