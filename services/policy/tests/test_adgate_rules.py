from datetime import date

from platform_shared.contracts.policy import AdGateException, PolicyDocument
from policy_service.domain.adgate import SwitchedOff, switched_off

TODAY = date(2026, 12, 1)
A = AdGateException(campaign_id="A", reason="sponsor site down", valid_from=TODAY, valid_until=TODAY,
                    banner_text="Sponsor visit skipped today")


def test_a_campaign_exception_banner_shows_for_that_campaign_while_in_force() -> None:
    policy = PolicyDocument(adgate_exceptions=(A,), banners=("Maintenance at 02:00",))
    assert policy.banners_for("A", TODAY) == ["Maintenance at 02:00", "Sponsor visit skipped today"]
    assert policy.banners_for("B", TODAY) == ["Maintenance at 02:00"]
    assert policy.banners_for("A", date(2026, 12, 2)) == ["Maintenance at 02:00"]


def test_switching_off_names_each_ended_exemption() -> None:
    on = PolicyDocument(adgate_exceptions=(A,), adgate_global_bypass=True)
    assert switched_off(on, PolicyDocument()) == [SwitchedOff("*", "AdGate global bypass"),
                                                  SwitchedOff("A", "sponsor site down")]
    assert switched_off(PolicyDocument(), on) == []
