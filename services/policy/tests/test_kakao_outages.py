"""Kakao login outages from every replica's windows (seed §9.2, §9.3): when one opens and ends, reports that
arrive late or twice, the failures summed by time window, and when the banners show."""

from datetime import UTC, datetime, timedelta

from policy_service.domain.kakao_outages import (
    BannerPeriod,
    Outage,
    ReplicaWindow,
    banner_at,
    failures_by_window,
    next_outage,
)

MINUTE = timedelta(minutes=1)
T0 = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # 22:00 KST


def window(replica: str, minute: int, *, failures: dict[str, int] | None = None, down: bool = False,
           up: bool | None = None, recovered_second: int | None = None) -> ReplicaWindow:
    start = T0 + minute * MINUTE
    recovered = None if recovered_second is None else start + timedelta(seconds=recovered_second)
    return ReplicaWindow(replica, start, start + MINUTE, failures or {}, down, up, recovered, start + 50 * MINUTE / 60)


def run(*windows: ReplicaWindow, latest: Outage | None = None) -> list[Outage]:
    """Every outage stored, as the consumer stores them."""
    stored: list[Outage] = [] if latest is None else [latest]
    for w in windows:
        change = next_outage(stored[-1] if stored else None, w)
        if change is not None:
            stored[-1:] = [change.outage] if not change.new and stored else [*stored[-1:], change.outage]
    return stored


def test_an_outage_opens_at_the_first_window_any_replica_saw_it_and_ends_when_every_one_saw_it_answer() -> None:
    outages = run(
        window("lottery/a", 0, up=True),
        window("lottery/a", 2, failures={"issuer_unavailable": 3}, down=True, up=False),
        window("waitlist/b", 3, failures={"issuer_unavailable": 1}, down=True, up=False),
        window("lottery/a", 5, up=True, recovered_second=10),
    )
    assert outages == [Outage(T0 + 2 * MINUTE, None, frozenset({"waitlist/b"}))], "waitlist still sees it fail"
    outages = run(window("waitlist/b", 6, up=True, recovered_second=30), latest=outages[0])
    assert outages == [Outage(T0 + 2 * MINUTE, T0 + 6 * MINUTE + timedelta(seconds=30), frozenset())]


def test_refusals_of_bad_tokens_open_no_outage() -> None:
    assert next_outage(None, window("lottery/a", 0, failures={"expired": 40, "signature": 2}, up=True)) is None


def test_a_replica_that_fails_and_recovers_within_one_window_opens_and_ends_an_outage() -> None:
    (outage,) = run(window("lottery/a", 1, failures={"issuer_unavailable": 1}, down=True, up=True,
                           recovered_second=20))
    assert (outage.started_at, outage.ended_at) == (T0 + MINUTE, T0 + MINUTE + timedelta(seconds=20))


def test_the_same_report_twice_or_a_late_one_changes_nothing_or_reopens_the_same_outage() -> None:
    down = window("lottery/a", 0, failures={"issuer_unavailable": 1}, down=True, up=False)
    back = window("lottery/a", 2, up=True, recovered_second=0)
    (outage,) = run(down, down, back, back)
    assert outage.ended_at == T0 + 2 * MINUTE

    # Another replica's failure from within that outage, reported after it ended: the same outage, reopened.
    (reopened,) = run(window("lottery/b", 1, failures={"issuer_unavailable": 2}, down=True, up=False),
                      latest=outage)
    assert (reopened.started_at, reopened.ended_at, reopened.down) == (T0, None, frozenset({"lottery/b"}))
    (ended,) = run(window("lottery/b", 4, up=True, recovered_second=5), latest=reopened)
    assert ended.ended_at == T0 + 4 * MINUTE + timedelta(seconds=5)

    later = run(window("lottery/a", 30, failures={"issuer_unavailable": 1}, down=True, up=False), latest=ended)
    assert len(later) == 2 and later[1].started_at == T0 + 30 * MINUTE, "a failure after the end is a new outage"


def test_failures_are_summed_over_replicas_by_window_and_reason() -> None:
    buckets = failures_by_window([
        window("lottery/a", 0, failures={"issuer_unavailable": 3, "expired": 1}),
        window("lottery/b", 0, failures={"issuer_unavailable": 2}),
        window("waitlist/c", 0, failures={"issuer_unavailable": 1}),
        window("waitlist/c", 1, up=True),
        window("lottery/a", 2, failures={"issuer_unavailable": 4}),
    ], MINUTE)
    assert [(b.start, b.failures, b.total) for b in buckets] == [
        (T0, {"expired": 1, "issuer_unavailable": 6}, 7),
        (T0 + 2 * MINUTE, {"issuer_unavailable": 4}, 4)]
    assert [b.total for b in failures_by_window([window("a/1", 0, failures={"x": 1}),
                                                 window("a/1", 4, failures={"x": 2})], 5 * MINUTE)] == [3]


def test_the_outage_banner_shows_while_it_lasts_and_the_retry_banner_for_its_time_after() -> None:
    two_hours = timedelta(minutes=120)
    ongoing = Outage(T0, None, frozenset({"lottery/a"}))
    assert banner_at(ongoing, two_hours, T0 - MINUTE) is None
    assert banner_at(ongoing, two_hours, T0 + 5 * MINUTE) == BannerPeriod("kakao_outage", T0, None)
    ended = Outage(T0, T0 + 7 * MINUTE, frozenset())
    assert banner_at(ended, two_hours, T0 + 6 * MINUTE) == BannerPeriod("kakao_outage", T0, None)
    assert banner_at(ended, two_hours, T0 + 7 * MINUTE) == BannerPeriod("kakao_retry", T0 + 7 * MINUTE,
                                                                       T0 + 127 * MINUTE)
    assert banner_at(ended, two_hours, T0 + 127 * MINUTE) is None
    assert banner_at(ended, timedelta(0), T0 + 7 * MINUTE) is None, "0 minutes: no retry banner"
