"""A run's life cycle (seed §3.5): completed → rolled_back once, and the refusals' words (the ops CLI shows them)."""

from uuid import UUID

import pytest

from lottery_service.domain.run_lifecycle import RunStatus, refuse_unless_completed, rolled_back
from platform_shared.errors import InvalidStateError

RUN = UUID(int=7)


def test_the_stored_strings_stay_the_same() -> None:
    assert [s.value for s in RunStatus] == ["completed", "rolled_back"]


def test_a_completed_run_can_be_asked_for_and_confirmed_as_rolled_back() -> None:
    refuse_unless_completed(RUN, RunStatus.COMPLETED)
    assert rolled_back(RUN, RunStatus.COMPLETED) is RunStatus.ROLLED_BACK


def test_a_rolled_back_run_is_refused_at_both_steps() -> None:
    with pytest.raises(InvalidStateError, match=f"^run {RUN} is rolled_back; only a completed run can be rolled back$"):
        refuse_unless_completed(RUN, RunStatus.ROLLED_BACK)
    with pytest.raises(InvalidStateError, match=f"^run {RUN} is already rolled_back$"):
        rolled_back(RUN, RunStatus.ROLLED_BACK)
