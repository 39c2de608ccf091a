"""Kakao login outages across the fleet (seed §9.2, §9.3), from every edge replica's windows: an outage opens at
the first window in which any replica saw the issuer fail, and ends when every replica that saw it fail has
seen it answer again. Then the retry banner shows for a while, and the failures of the outage are reported by
time window, summed over every replica. Pure."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

ISSUER_UNAVAILABLE = "issuer_unavailable"


@dataclass(frozen=True)
class ReplicaWindow:
    """One report of one replica's window (contracts/kakao_health.py)."""

    replica: str
    """service/instance"""
    window_start: datetime
    window_end: datetime
    failures: Mapping[str, int]
    issuer_down: bool
    issuer_up: bool | None
    recovered_at: datetime | None
    reported_at: datetime

    @property
    def saw_outage(self) -> bool:
        return self.issuer_down or self.issuer_up is False or self.failures.get(ISSUER_UNAVAILABLE, 0) > 0


@dataclass(frozen=True)
class Outage:
    started_at: datetime
    ended_at: datetime | None
    down: frozenset[str]
    """The replicas that saw the issuer fail and have not seen it answer since."""


@dataclass(frozen=True)
class OutageChange:
    outage: Outage
    new: bool
    """A new outage, not the latest one changed."""


def next_outage(latest: Outage | None, window: ReplicaWindow) -> OutageChange | None:
    """The latest outage as `window` leaves it, or a new one; None when `window` changes nothing. A late
    report of a failure from within an outage already ended reopens it: it was one outage, seen later."""
    if latest is not None and (latest.ended_at is None or window.window_start < latest.ended_at):
        outage = latest
    elif window.saw_outage:
        outage = Outage(window.window_start, None, frozenset())
    else:
        return None
    down = outage.down | {window.replica} if window.saw_outage else outage.down
    ended_at = outage.ended_at
    if window.issuer_up is True and window.replica in down:
        down -= {window.replica}
        if not down:
            back = window.recovered_at or window.reported_at
            ended_at = back if ended_at is None else max(ended_at, back)
    elif down:
        ended_at = None
    changed = replace(outage, started_at=min(outage.started_at, window.window_start), ended_at=ended_at,
                      down=frozenset(down))
    return None if changed == latest else OutageChange(changed, new=outage is not latest)


@dataclass(frozen=True)
class FailureBucket:
    start: datetime
    end: datetime
    failures: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.failures.values())


def failures_by_window(windows: Iterable[ReplicaWindow], width: timedelta) -> list[FailureBucket]:
    """Every replica's failures summed by time window of `width` (oldest first); windows without failures are left
    out. Replicas report windows aligned on whole minutes; a wider bucket holds several of them."""
    sums: dict[datetime, Counter[str]] = {}
    for window in windows:
        start = _floor(window.window_start, width)
        sums.setdefault(start, Counter()).update({r: n for r, n in window.failures.items() if n})
    return [FailureBucket(start, start + width, dict(sorted(counts.items())))
            for start, counts in sorted(sums.items()) if counts]


def _floor(instant: datetime, width: timedelta) -> datetime:
    midnight = instant.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + ((instant - midnight) // width) * width


@dataclass(frozen=True)
class BannerPeriod:
    kind: Literal["kakao_outage", "kakao_retry"]
    starts_at: datetime
    ends_at: datetime | None


def banner_at(outage: Outage, retry_for: timedelta, now: datetime) -> BannerPeriod | None:
    """The outage's banner at `now`: the outage banner from its start until it ends (seed §9.2), then the retry
    banner for `retry_for` (§9.3); None before it and after that."""
    if now < outage.started_at:
        return None
    if outage.ended_at is None or now < outage.ended_at:
        return BannerPeriod("kakao_outage", outage.started_at, None)
    retry_until = outage.ended_at + retry_for
    return BannerPeriod("kakao_retry", outage.ended_at, retry_until) if now < retry_until else None
