"""A draw's life cycle (SPEC §3, seed §3) as one state machine, pure:

    open ──close entries──▶ closed ──prepare──▶ drawing_ready ──execute──▶ drawing_done
                              └────────execute─────────────────────▲          │
                                       drawing_ready ◀──roll back the run─────┘
    closed, drawing_ready ──reopen (two-step)──▶ correcting ──close entries──▶ closed

Entries come in only while open; a run is prepared and executed only from closed or drawing_ready;
a rollback returns the draw to drawing_ready, from where it can run again as a new linked run. A reopen
(seed §3.5) lets operators correct eligibility (no new entries) and burns the seed: the next
close freezes the corrected set and only then draws a fresh salt for a new seed.
"""

from enum import StrEnum

from platform_shared.auth.access import Role
from platform_shared.errors import ForbiddenError, InvalidStateError


class DrawStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    DRAWING_READY = "drawing_ready"
    DRAWING_DONE = "drawing_done"
    CORRECTING = "correcting"


class DrawStep(StrEnum):
    CLOSE_ENTRIES = "close_entries"
    PREPARE = "prepare"
    EXECUTE = "execute"
    ROLL_BACK = "roll_back"
    REOPEN = "reopen"


RUNNABLE = frozenset({DrawStatus.CLOSED, DrawStatus.DRAWING_READY})

_STEPS: dict[DrawStep, tuple[frozenset[DrawStatus], DrawStatus]] = {
    DrawStep.CLOSE_ENTRIES: (frozenset({DrawStatus.OPEN, DrawStatus.CORRECTING}), DrawStatus.CLOSED),
    DrawStep.PREPARE: (RUNNABLE, DrawStatus.DRAWING_READY),
    DrawStep.EXECUTE: (RUNNABLE, DrawStatus.DRAWING_DONE),
    DrawStep.ROLL_BACK: (frozenset({DrawStatus.DRAWING_DONE}), DrawStatus.DRAWING_READY),
    DrawStep.REOPEN: (RUNNABLE, DrawStatus.CORRECTING),
}
CORRECTABLE = frozenset({DrawStatus.OPEN, DrawStatus.CORRECTING})


def next_status(campaign_id: str, status: str, step: DrawStep) -> DrawStatus:
    """The status after `step`, or a clear refusal naming where the draw is."""
    allowed, after = _STEPS[step]
    if status not in allowed:
        if step == DrawStep.CLOSE_ENTRIES:
            raise InvalidStateError(f"draw {campaign_id!r} is {status}, not open or correcting")
        if step == DrawStep.REOPEN:
            raise InvalidStateError(f"draw {campaign_id!r} is {status}; only a closed draw without a live run "
                                    "can be reopened (roll the run back first)")
        if allowed == RUNNABLE:
            raise InvalidStateError(f"draw {campaign_id!r} is {status}; it runs from closed or drawing_ready")
        raise InvalidStateError(f"draw {campaign_id!r} is {status}; only a drawn draw can be rolled back")
    return after


def refuse_unless_open_for_entries(campaign_id: str, status: str) -> None:
    if status != DrawStatus.OPEN:
        raise InvalidStateError(f"draw {campaign_id!r} is {status}, not open for entries")


def refuse_after_close(campaign_id: str, status: str, change: str) -> None:
    """Closing entries freezes every entry's decision and weight: the set is hashed and published
    with the seed commitment, so nothing that changes eligibility or weights is accepted after it, until a
    two-step reopen (which burns the seed)."""
    if status not in CORRECTABLE:
        raise InvalidStateError(f"eligibility of {campaign_id!r} was frozen when entries closed: {change} is "
                                "refused after close (it would change who may win after the set was published); "
                                "reopen the draw to correct it", field="campaign_id")


def refuse_while_drawn(campaign_id: str, status: str, change: str) -> None:
    """Under a live run its winners stand: roll it back first."""
    if status == DrawStatus.DRAWING_DONE:
        raise InvalidStateError(f"draw {campaign_id!r} has a live run: roll it back before {change}")


FREE_REOPENS = 2
"""Reopens any operator may confirm; a third and later one only the top role (docs/draw-algorithm.md §8.6):
reopening until an outcome suits is exactly what repeated reopens would be."""


def refuse_reopen_beyond(campaign_id: str, number: int, role: str) -> None:
    if number > FREE_REOPENS and role != Role.ADMIN:
        raise ForbiddenError(f"draw {campaign_id!r} was reopened {number - 1} times already: a reopen beyond "
                             f"{FREE_REOPENS} needs the {Role.ADMIN} role", field="role")


def refuse_places_change(campaign_id: str, status: str) -> None:
    """The two-step seat correction is for a closed draw without a live run; open draws change in one step, and
    a draw being corrected commits its counts when it closes again."""
    if status == DrawStatus.OPEN:
        raise InvalidStateError(f"draw {campaign_id!r} is open: nothing is committed yet, correct the counts in one "
                                "step (PUT /draws/{id}/places)", field="campaign_id")
    if status == DrawStatus.CORRECTING:
        raise InvalidStateError(f"draw {campaign_id!r} is being corrected: close it first, then correct the counts",
                                field="campaign_id")
