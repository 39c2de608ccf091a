"""The draw's life cycle (SPEC §3): every step from every status, and the refusals' words."""

import pytest

from lottery_service.domain.draw_lifecycle import (
    DrawStatus,
    DrawStep,
    next_status,
    refuse_after_close,
    refuse_unless_open_for_entries,
)
from platform_shared.errors import InvalidStateError

OPEN, CLOSED, READY, DONE = DrawStatus.OPEN, DrawStatus.CLOSED, DrawStatus.DRAWING_READY, DrawStatus.DRAWING_DONE
CORRECTING = DrawStatus.CORRECTING
ALLOWED = {
    (OPEN, DrawStep.CLOSE_ENTRIES): CLOSED, (CORRECTING, DrawStep.CLOSE_ENTRIES): CLOSED,
    (CLOSED, DrawStep.REOPEN): CORRECTING, (READY, DrawStep.REOPEN): CORRECTING,
    (CLOSED, DrawStep.PREPARE): READY, (READY, DrawStep.PREPARE): READY,
    (CLOSED, DrawStep.EXECUTE): DONE, (READY, DrawStep.EXECUTE): DONE,
    (DONE, DrawStep.ROLL_BACK): READY,
}


@pytest.mark.parametrize("status", list(DrawStatus))
@pytest.mark.parametrize("step", list(DrawStep))
def test_each_step_is_allowed_from_exactly_its_statuses(status: DrawStatus, step: DrawStep) -> None:
    if (status, step) in ALLOWED:
        assert next_status("c1", status, step) == ALLOWED[(status, step)]
    else:
        with pytest.raises(InvalidStateError, match=f"draw 'c1' is {status}"):
            next_status("c1", status, step)


def test_a_reopen_needs_a_closed_draw_without_a_live_run() -> None:
    with pytest.raises(InvalidStateError, match="roll the run back first"):
        next_status("c1", DONE, DrawStep.REOPEN)


def test_a_run_names_the_statuses_it_starts_from() -> None:
    with pytest.raises(InvalidStateError, match="it runs from closed or drawing_ready"):
        next_status("c1", OPEN, DrawStep.EXECUTE)


def test_entries_only_while_open_and_corrections_while_open_or_reopened() -> None:
    refuse_unless_open_for_entries("c1", OPEN)
    refuse_after_close("c1", OPEN, "a suspicious flag")
    refuse_after_close("c1", CORRECTING, "a suspicious flag")
    for status in (CLOSED, CORRECTING):
        with pytest.raises(InvalidStateError, match="not open for entries"):
            refuse_unless_open_for_entries("c1", status)
    for status in (CLOSED, READY, DONE):
        with pytest.raises(InvalidStateError, match="'c1' was frozen when entries closed: a suspicious flag is"):
            refuse_after_close("c1", status, "a suspicious flag")
