"""The vendor's state as probes find it (runbook §6.3): up or down, since the change, the last problem kept."""

from datetime import UTC, datetime, timedelta

from notifier_service.domain.vendor_status import VendorStatus, after_probe

T0 = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)


def test_since_moves_only_when_the_state_changes_and_the_last_problem_stays() -> None:
    status = after_probe(VendorStatus(), None, T0)
    assert (status.up, status.since, status.probe_failures) == (True, T0, 0)
    status = after_probe(status, None, T0 + timedelta(seconds=5))
    assert status.since == T0 and status.checked_at == T0 + timedelta(seconds=5)
    down_at = T0 + timedelta(seconds=10)
    status = after_probe(status, "status check answered 503", down_at)
    status = after_probe(status, "vendor unreachable: ConnectError", down_at + timedelta(seconds=5))
    assert (status.up, status.since, status.probe_failures) == (False, down_at, 2)
    assert status.last_problem == "vendor unreachable: ConnectError"
    back_at = down_at + timedelta(seconds=10)
    status = after_probe(status, None, back_at)
    assert (status.up, status.since, status.last_problem) == (True, back_at, "vendor unreachable: ConnectError")


def test_a_vendor_down_from_the_first_probe_is_down_since_then() -> None:
    status = after_probe(VendorStatus(), "status check timed out", T0)
    assert (status.up, status.since, status.probe_failures) == (False, T0, 1)
