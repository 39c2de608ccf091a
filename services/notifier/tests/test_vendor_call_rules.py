"""When a vendor call may start and how long it may run, without infrastructure: nothing in flight
inside quiet hours, nothing outliving its claim's lease."""

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from notifier_service.domain.vendor_call import RECORDING_MARGIN, call_budget, first_call_start
from platform_shared.contracts.policy import QuietHours
from platform_shared.time.clock import KST
from platform_shared.time.quiet_hours import in_quiet_hours

WINDOW = QuietHours()  # 22:00-08:00 Asia/Seoul
TEN_SECONDS = timedelta(seconds=10)


def kst(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, second, tzinfo=KST)


def test_a_call_that_could_still_run_at_22_00_does_not_start_and_waits_for_08_00() -> None:
    assert first_call_start(kst(1, 21, 59, 49), TEN_SECONDS, WINDOW) == kst(1, 21, 59, 49), "over by 21:59:59"
    assert first_call_start(kst(1, 21, 59, 50), TEN_SECONDS, WINDOW) == kst(2, 8, 0), "could end at 22:00:00"
    assert first_call_start(kst(1, 23, 30), TEN_SECONDS, WINDOW) == kst(2, 8, 0)
    assert first_call_start(kst(2, 7, 59, 59), TEN_SECONDS, WINDOW) == kst(2, 8, 0)
    assert first_call_start(kst(2, 8, 0), TEN_SECONDS, WINDOW) == kst(2, 8, 0)


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(KST)),
       st.integers(min_value=1, max_value=120))
def test_no_call_that_may_start_touches_quiet_hours(now: datetime, seconds: int) -> None:
    timeout = timedelta(seconds=seconds)
    start = first_call_start(now, timeout, WINDOW)
    assert start >= now
    assert not in_quiet_hours(start, WINDOW) and not in_quiet_hours(start + timeout, WINDOW)


def test_a_call_is_cut_to_end_before_its_claims_lease_and_not_started_without_room() -> None:
    started = kst(1, 12, 0)
    assert call_budget(started, TEN_SECONDS, started + timedelta(seconds=30)) == TEN_SECONDS
    assert call_budget(started, TEN_SECONDS, started + timedelta(seconds=4)) == timedelta(seconds=4) - RECORDING_MARGIN
    assert call_budget(started, TEN_SECONDS, started + RECORDING_MARGIN) == timedelta(0)
    assert call_budget(started, TEN_SECONDS, started - timedelta(seconds=1)) == timedelta(0), "lease already over"


def test_a_lease_with_less_than_a_second_left_starts_no_call() -> None:
    started = kst(1, 12, 0)
    assert call_budget(started, TEN_SECONDS, started + RECORDING_MARGIN + timedelta(seconds=0.5)) == timedelta(0)
    assert call_budget(started, timedelta(seconds=0.5), started + timedelta(seconds=30)) == timedelta(seconds=0.5)
