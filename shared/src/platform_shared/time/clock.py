"""Time: stored in UTC, shown and reasoned about in KST. Every time-dependent rule takes a Clock."""

from datetime import UTC, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class OffsetClock:
    """The system clock moved by a fixed offset: a whole process living at another time of day
    (integration tests and fire drills of the quiet-hours rules). A test fleet gives every service
    and the tests themselves the same offset, so they all read one time."""

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def process_clock(offset_seconds: float) -> Clock:
    """The clock of a service process: the system clock, moved only when configured (tests, drills)."""
    return OffsetClock(timedelta(seconds=offset_seconds)) if offset_seconds else SystemClock()


def offset_to_kst(at: time, now: datetime) -> timedelta:
    """How far to move a clock that reads `now` so that it reads `at` (Korean time) on the same
    Korean day: the offset that puts a test fleet at a chosen time of day, whenever the run starts."""
    local = to_kst(now)
    return datetime.combine(local.date(), at, tzinfo=KST) - local


class FixedClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = instant

    def advance(self, delta: timedelta) -> None:
        self._now += delta


def to_kst(instant: datetime) -> datetime:
    return instant.astimezone(KST)
