"""A run's life cycle (seed §3.3–3.5), pure:

    (execute) ──▶ completed ──roll back (two-step)──▶ rolled_back

A run is stored completed when it executes. A rollback voids its winners and waitlist for good: a re-run
is a new run linked to the old one, so a rolled-back run never changes again. The strings are the stored
ones (`draw_runs.status`, and the partial unique index that keeps one completed run per draw).
"""

from enum import StrEnum
from uuid import UUID

from platform_shared.errors import InvalidStateError


class RunStatus(StrEnum):
    COMPLETED = "completed"
    ROLLED_BACK = "rolled_back"


def refuse_unless_completed(run_id: UUID, status: str) -> None:
    """Asking for a rollback (its first step): only a completed run has results to void."""
    if status != RunStatus.COMPLETED:
        raise InvalidStateError(f"run {run_id} is {status}; only a completed run can be rolled back")


def rolled_back(run_id: UUID, status: str) -> RunStatus:
    """The status after a confirmed rollback; refused when the run is no longer completed (another
    rollback was confirmed between the two steps)."""
    if status != RunStatus.COMPLETED:
        raise InvalidStateError(f"run {run_id} is already {status}")
    return RunStatus.ROLLED_BACK
