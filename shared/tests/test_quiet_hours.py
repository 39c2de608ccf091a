from datetime import UTC, datetime, time

import pytest
from pydantic import ValidationError

from platform_shared.contracts.policy import QuietHours
from platform_shared.time.clock import KST
from platform_shared.time.quiet_hours import in_quiet_hours, next_deliverable

DEFAULT = QuietHours()


@pytest.mark.parametrize(("local", "quiet"), [
    ((21, 59, 59), False), ((22, 0, 0), True), ((23, 30, 0), True), ((0, 0, 0), True),
    ((3, 0, 0), True), ((7, 59, 59), True), ((8, 0, 0), False), ((12, 0, 0), False),
])
def test_the_default_window_is_22_to_08_kst(local: tuple[int, int, int], quiet: bool) -> None:
    instant = datetime(2026, 11, 26, *local, tzinfo=KST)
    assert in_quiet_hours(instant, DEFAULT) is quiet
    assert in_quiet_hours(instant.astimezone(UTC), DEFAULT) is quiet, "the zone of the instant does not matter"


def test_inside_the_window_the_next_deliverable_moment_is_0800_kst() -> None:
    late = datetime(2026, 11, 26, 23, 30, tzinfo=KST)
    early = datetime(2026, 11, 27, 3, 0, tzinfo=KST)
    assert next_deliverable(late, DEFAULT) == datetime(2026, 11, 27, 8, 0, tzinfo=KST)
    assert next_deliverable(early, DEFAULT) == datetime(2026, 11, 27, 8, 0, tzinfo=KST)
    assert next_deliverable(datetime(2026, 11, 26, 21, 0, tzinfo=KST), DEFAULT) == \
        datetime(2026, 11, 26, 21, 0, tzinfo=KST)


def test_a_window_that_does_not_wrap_midnight() -> None:
    lunch = QuietHours(start=time(12, 0), end=time(13, 0))
    assert in_quiet_hours(datetime(2026, 11, 26, 12, 30, tzinfo=KST), lunch)
    assert not in_quiet_hours(datetime(2026, 11, 26, 13, 0, tzinfo=KST), lunch)
    assert next_deliverable(datetime(2026, 11, 26, 12, 30, tzinfo=KST), lunch) == \
        datetime(2026, 11, 26, 13, 0, tzinfo=KST)


def test_a_window_is_wall_clock_times_without_an_offset() -> None:
    """An aware time would make every comparison with a local time raise (the sender stopped)."""
    with pytest.raises(ValidationError, match="without an offset"):
        QuietHours.model_validate({"start": "22:00+09:00", "end": "08:00"})
    assert QuietHours.model_validate({"start": "21:30", "end": "07:45:30"}).end == time(7, 45, 30)
