"""A drill's clock (seed §0 quiet hours): every process reading one offset file moves when the file is rewritten,
and a file that cannot be read keeps the time it had."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from platform_shared.time.clock import KST, MovableClock, OffsetClock, SystemClock, process_clock


def test_every_clock_reading_the_file_moves_together(tmp_path: Path) -> None:
    path = tmp_path / "clock-offset"
    path.write_text("0")
    drill, service = MovableClock(path), MovableClock(path, recheck_seconds=0)
    night = datetime(2026, 12, 8, 23, 0, tzinfo=KST)
    drill.move_to(night)
    assert abs(service.now() - night) < timedelta(seconds=1)
    morning = datetime(2026, 12, 9, 7, 59, 55, tzinfo=KST)
    drill.move_to(morning)
    assert abs(service.now() - morning) < timedelta(seconds=1)
    assert abs(drill.now() - morning) < timedelta(seconds=1), "the mover reads its own move at once"


def test_a_move_is_seen_within_the_recheck_interval(tmp_path: Path) -> None:
    path = tmp_path / "clock-offset"
    path.write_text("0")
    service = MovableClock(path, recheck_seconds=0.05)
    service.now()
    MovableClock(path).move_to(datetime.now(UTC) + timedelta(hours=9))
    time.sleep(0.06)
    assert service.now() - datetime.now(UTC) > timedelta(hours=8, minutes=59)


def test_an_unreadable_file_keeps_the_last_offset(tmp_path: Path) -> None:
    path = tmp_path / "clock-offset"
    path.write_text(repr(3600.0))
    clock = MovableClock(path, recheck_seconds=0)
    assert clock.now() - datetime.now(UTC) > timedelta(minutes=59)
    path.write_text("not a number")
    assert clock.now() - datetime.now(UTC) > timedelta(minutes=59)
    path.unlink()
    assert clock.now() - datetime.now(UTC) > timedelta(minutes=59)


def test_a_process_clock_is_movable_only_when_given_a_file(tmp_path: Path) -> None:
    assert isinstance(process_clock(0), SystemClock)
    assert isinstance(process_clock(60), OffsetClock)
    assert isinstance(process_clock(60, tmp_path / "clock-offset"), MovableClock)
