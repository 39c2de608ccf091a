"""Time: stored in UTC, shown and reasoned about in KST. Every time-dependent rule takes a Clock."""

import os
import time as monotonic_time
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
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


class MovableClock:
    """The system clock moved by an offset kept in a file that every process of a fleet reads: a drill rewrites it
    to move the whole fleet at once (an incident notice asked at 23:00 KST, then the morning at 08:00, without
    waiting nine hours; seed §0 quiet hours). The file holds the offset in seconds; it is looked at again at most
    every `recheck_seconds`, so a move reaches every process within that time. A file that cannot be read keeps
    the last offset read."""

    def __init__(self, path: Path, recheck_seconds: float = 0.05) -> None:
        self.path = path
        self._recheck = recheck_seconds
        self._checked = float("-inf")
        self._stamp: int | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        moment = monotonic_time.monotonic()
        if moment - self._checked >= self._recheck:
            self._checked = moment
            self._reread()
        return datetime.now(UTC) + self._offset

    def move_to(self, instant: datetime) -> None:
        """Make every clock reading this file read `instant` now (written whole, then renamed into place)."""
        offset = (instant - datetime.now(UTC)).total_seconds()
        written = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        written.write_text(repr(offset))
        written.replace(self.path)
        self._checked = float("-inf")

    def _reread(self) -> None:
        try:
            stamp = os.stat(self.path).st_mtime_ns
            if stamp != self._stamp:
                self._offset, self._stamp = timedelta(seconds=float(self.path.read_text())), stamp
        except (OSError, ValueError):
            pass


def process_clock(offset_seconds: float, clock_file: Path | None = None) -> Clock:
    """The clock of a service process: the system clock, moved only when configured (tests, drills): by a fixed
    offset, or by the offset in `clock_file` (a drill moving a whole fleet, `MovableClock`)."""
    if clock_file is not None:
        return MovableClock(clock_file)
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
