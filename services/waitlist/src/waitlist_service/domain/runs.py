"""A draw run on the waitlist (SPEC §4): it receives its parts, is promoted from while active, says so once
nobody is left to fill a free seat, and is void once rolled back (seed §3.5). Its status changes only through
`move_run`, which refuses a change the run's life never makes."""

from enum import StrEnum

from platform_shared.errors import InvalidStateError


class RunStatus(StrEnum):
    RECEIVING = "receiving"  # some draw_completed parts still to come: no promotion yet
    ACTIVE = "active"
    EXHAUSTED = "exhausted"  # a seat was free and nobody was left to offer it to
    VOID = "void"  # rolled back


PROMOTABLE = (RunStatus.ACTIVE, RunStatus.EXHAUSTED)
"""The runs a promotion pass works on."""

_NEXT: dict[RunStatus, frozenset[RunStatus]] = {
    RunStatus.RECEIVING: frozenset({RunStatus.ACTIVE, RunStatus.VOID}),
    RunStatus.ACTIVE: frozenset({RunStatus.EXHAUSTED, RunStatus.VOID}),
    RunStatus.EXHAUSTED: frozenset({RunStatus.VOID}),
    RunStatus.VOID: frozenset({RunStatus.VOID}),  # a rollback heard twice changes nothing
}


def move_run(current: str, to: RunStatus) -> RunStatus:
    """The run's next status, `to`, when its life allows the change; otherwise a clear error."""
    if to not in _NEXT[RunStatus(current)]:
        raise InvalidStateError(f"a {current} draw run cannot become {to}", field="run_id")
    return to
