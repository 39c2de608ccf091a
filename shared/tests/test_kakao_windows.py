"""A replica's Kakao login failures by time window (seed §9.3): bucketing on whole minutes (KST), what is news
and what is not, revisions of a window still open, and windows forgotten once reported."""

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from platform_shared.contracts.kakao_health import KakaoLoginWindow
from platform_shared.kakao.watch import IssuerWatch
from platform_shared.kakao.windows import LoginWindows, window_start
from platform_shared.time.clock import KST, FixedClock

MINUTE = timedelta(minutes=1)
T0 = datetime(2026, 12, 7, 23, 59, 10, tzinfo=KST)


def test_a_window_starts_on_a_whole_minute_in_kst() -> None:
    assert window_start(T0, MINUTE) == datetime(2026, 12, 7, 23, 59, tzinfo=KST)
    assert window_start(datetime(2026, 12, 7, 23, 59, tzinfo=KST), MINUTE) == datetime(2026, 12, 7, 23, 59, tzinfo=KST)
    assert window_start(T0, timedelta(minutes=5)) == datetime(2026, 12, 7, 23, 55, tzinfo=KST)
    assert window_start(T0.astimezone(UTC), timedelta(minutes=15)) == datetime(2026, 12, 7, 23, 45, tzinfo=KST)


def test_failures_are_counted_by_reason_in_the_window_they_happened() -> None:
    windows = LoginWindows(MINUTE)
    windows.login_failed(T0, "expired")
    windows.login_failed(T0 + timedelta(seconds=40), "issuer_unavailable")  # 23:59:50
    windows.login_failed(T0 + timedelta(seconds=55), "issuer_unavailable")  # 00:00:05, the next day
    first, second = windows.pending()
    assert (first.start, first.end, first.failures) == (datetime(2026, 12, 7, 23, 59, tzinfo=KST),
                                                        datetime(2026, 12, 8, 0, 0, tzinfo=KST),
                                                        {"expired": 1, "issuer_unavailable": 1})
    assert (second.start, second.failures, second.revision) == (datetime(2026, 12, 8, tzinfo=KST),
                                                                {"issuer_unavailable": 1}, 1)


def test_an_open_window_is_reported_again_only_when_it_changed_and_past_ones_are_forgotten() -> None:
    windows = LoginWindows(MINUTE)
    windows.login_failed(T0, "signature")
    reported = windows.pending()
    windows.reported(reported, T0 + timedelta(seconds=1))
    assert windows.pending() == [], "nothing new"
    windows.login_failed(T0 + timedelta(seconds=2), "signature")
    again = windows.pending()
    assert [(w.revision, w.failures) for w in again] == [(2, {"signature": 2})], "the whole window, counts so far"
    windows.login_failed(T0 + timedelta(seconds=3), "signature")  # while the report was being stored
    windows.reported(again, T0 + timedelta(seconds=4))
    assert [(w.revision, w.failures) for w in windows.pending()] == [(3, {"signature": 3})]
    windows.reported(windows.pending(), T0 + timedelta(minutes=2))
    windows.login_failed(T0 + timedelta(minutes=2), "expired")
    assert [(w.revision, w.failures) for w in windows.pending()] == [(1, {"expired": 1})], "the old one is gone"


def test_the_issuer_going_down_and_answering_again_is_news_answering_as_before_is_not() -> None:
    clock = FixedClock(T0)
    watch = IssuerWatch(clock)
    watch.issuer_answered()
    assert watch.windows.pending() == [], "a replica's first answer is no news: starting writes nothing"
    watch.issuer_answered()
    assert watch.windows.pending() == []

    clock.advance(timedelta(seconds=5))
    watch.issuer_failed("JWKS: HTTP 502")
    watch.login_failed("issuer_unavailable")
    down = watch.windows.pending()
    assert [(w.issuer_up, w.issuer_down, w.failures) for w in down] == [(False, True, {"issuer_unavailable": 1})]
    watch.windows.reported(down, clock.now())
    clock.advance(timedelta(minutes=1))
    watch.issuer_failed("JWKS: HTTP 502")
    assert [(w.issuer_up, w.issuer_down) for w in watch.windows.pending()] == [(False, True)]
    watch.windows.reported(watch.windows.pending(), clock.now())
    watch.issuer_failed("JWKS: HTTP 502")
    assert watch.windows.pending() == [], "still down in the same window: nothing new"

    clock.advance(timedelta(seconds=20))
    watch.issuer_answered()
    (recovered,) = watch.windows.pending()
    assert (recovered.issuer_up, recovered.recovered_at) == (True, clock.now())


def test_a_window_report_carries_counts_and_codes_only_and_is_checked() -> None:
    window = KakaoLoginWindow(occurred_at=T0, service="lottery", instance="host:1", window_start=T0,
                              window_end=T0 + MINUTE, revision=1, failures={"issuer_unavailable": 3})
    assert window.partition_key() == b"lottery/host:1"
    with pytest.raises(ValidationError, match="window_end"):
        KakaoLoginWindow(occurred_at=T0, service="lottery", instance="a", window_start=T0, window_end=T0, revision=1)
    with pytest.raises(ValidationError, match="pattern"):
        KakaoLoginWindow(occurred_at=T0, service="lottery", instance="a", window_start=T0, window_end=T0 + MINUTE,
                         revision=1, failures={"eyJhbGciOi.token": 1})
    with pytest.raises(ValidationError):
        KakaoLoginWindow(occurred_at=T0, service="lottery", instance="a", window_start=T0, window_end=T0 + MINUTE,
                         revision=1, failures={"expired": -1})


def test_a_window_with_two_outages_reports_the_last_recovery() -> None:
    """Down, back, down again and back within one minute: the outage the fleet sees ends at the second."""
    windows = LoginWindows(MINUTE)
    windows.issuer_answered(T0)
    for down, back in ((5, 15), (30, 40)):
        windows.issuer_failed(T0 + timedelta(seconds=down))
        windows.issuer_answered(T0 + timedelta(seconds=back))
    (window,) = windows.pending()
    assert (window.issuer_down, window.issuer_up, window.recovered_at) == (True, True, T0 + timedelta(seconds=40))
