"""A run's status changes only as its life allows (domain/runs.py)."""

import pytest

from platform_shared.errors import InvalidStateError
from waitlist_service.domain.runs import RunStatus, move_run


@pytest.mark.parametrize(("current", "to"), [
    (RunStatus.RECEIVING, RunStatus.ACTIVE), (RunStatus.RECEIVING, RunStatus.VOID),
    (RunStatus.ACTIVE, RunStatus.EXHAUSTED), (RunStatus.ACTIVE, RunStatus.VOID),
    (RunStatus.EXHAUSTED, RunStatus.VOID), (RunStatus.VOID, RunStatus.VOID)])
def test_a_run_moves_along_its_life(current: RunStatus, to: RunStatus) -> None:
    assert move_run(current.value, to) == to


@pytest.mark.parametrize(("current", "to"), [
    (RunStatus.VOID, RunStatus.ACTIVE), (RunStatus.VOID, RunStatus.EXHAUSTED),
    (RunStatus.EXHAUSTED, RunStatus.ACTIVE), (RunStatus.RECEIVING, RunStatus.EXHAUSTED)])
def test_a_run_never_comes_back(current: RunStatus, to: RunStatus) -> None:
    with pytest.raises(InvalidStateError):
        move_run(current.value, to)
