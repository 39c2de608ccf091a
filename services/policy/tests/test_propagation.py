from datetime import UTC, datetime, timedelta

from platform_shared.contracts.events import ServiceStatus
from policy_service.domain.propagation import LatestReports, all_current, propagation

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
EVERY = timedelta(seconds=5)


def report(service: str, version: int, ago: timedelta, instance: str = "a") -> ServiceStatus:
    return ServiceStatus(occurred_at=NOW - ago, service=service, instance=instance, policy_version=version)


def test_each_process_is_current_lagging_or_silent_and_long_gone_ones_are_dropped() -> None:
    latest = LatestReports()
    for r in (report("lottery", 3, timedelta(seconds=1)), report("waitlist", 2, timedelta(seconds=2)),
              report("notifier", 3, timedelta(seconds=16)), report("notifier", 1, timedelta(hours=2), "old"),
              report("lottery", 2, timedelta(seconds=9))):  # an older report of the same process arrives late
        latest.apply(r)
    states = {(s.service, s.instance): (s.policy_version, s.lagging, s.silent)
              for s in propagation(latest.all(), 3, NOW, EVERY)}
    assert states == {("lottery", "a"): (3, False, False), ("waitlist", "a"): (2, True, False),
                      ("notifier", "a"): (3, False, True)}

    assert not all_current(propagation(latest.all(), 3, NOW, EVERY), ["lottery", "waitlist", "notifier"]), \
        "waitlist lags, and notifier has no live process"
    latest.apply(report("waitlist", 3, timedelta(0)))
    latest.apply(report("notifier", 3, timedelta(0), "restarted"))
    assert all_current(propagation(latest.all(), 3, NOW, EVERY), ["lottery", "waitlist", "notifier"]), \
        "the silent old notifier process is shown, not held against the fleet"


def test_a_report_from_hours_ahead_is_not_taken_for_a_live_process() -> None:
    """A process whose clock runs hours ahead (a drill at 03:00 KST beside the fleet) reports versions the fleet
    never ran: it must not hold `all_current` false until the fleet's clock catches up with it."""
    latest = LatestReports()
    for r in (report("lottery", 3, timedelta(0)), report("policy", 3, timedelta(0)),
              report("policy", 0, -timedelta(hours=2), "drill")):
        latest.apply(r)
    states = propagation(latest.all(), 3, NOW, EVERY)
    assert [(s.service, s.instance) for s in states] == [("lottery", "a"), ("policy", "a")]
    assert all_current(states, ["lottery", "policy"])
    latest.apply(report("policy", 2, -timedelta(seconds=2), "skewed"))  # a little ahead: still a live process
    assert not all_current(propagation(latest.all(), 3, NOW, EVERY), ["lottery", "policy"])
