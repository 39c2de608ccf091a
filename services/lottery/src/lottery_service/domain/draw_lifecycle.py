"""A draw's life cycle (SPEC §3, seed §3) as one state machine, pure:

    open ──close entries──▶ closed ──prepare──▶ drawing_ready ──execute──▶ drawing_done
                              └────────execute─────────────────────▲          │
                                       drawing_ready ◀──roll back the run─────┘

Entries come in only while open; a run is prepared and executed only from closed or drawing_ready;
a rollback returns the draw to drawing_ready, from where it can run again as a new linked run.
"""

from enum import StrEnum

from platform_shared.errors import InvalidStateError


class DrawStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    DRAWING_READY = "drawing_ready"
    DRAWING_DONE = "drawing_done"


class DrawStep(StrEnum):
    CLOSE_ENTRIES = "close_entries"
    PREPARE = "prepare"
    EXECUTE = "execute"
    ROLL_BACK = "roll_back"


RUNNABLE = frozenset({DrawStatus.CLOSED, DrawStatus.DRAWING_READY})

_STEPS: dict[DrawStep, tuple[frozenset[DrawStatus], DrawStatus]] = {
    DrawStep.CLOSE_ENTRIES: (frozenset({DrawStatus.OPEN}), DrawStatus.CLOSED),
    DrawStep.PREPARE: (RUNNABLE, DrawStatus.DRAWING_READY),
    DrawStep.EXECUTE: (RUNNABLE, DrawStatus.DRAWING_DONE),
    DrawStep.ROLL_BACK: (frozenset({DrawStatus.DRAWING_DONE}), DrawStatus.DRAWING_READY),
}


def next_status(campaign_id: str, status: str, step: DrawStep) -> DrawStatus:
    """The status after `step`, or a clear refusal naming where the draw is."""
    allowed, after = _STEPS[step]
    if status not in allowed:
        if step == DrawStep.CLOSE_ENTRIES:
            raise InvalidStateError(f"draw {campaign_id!r} is {status}, not open")
        if allowed == RUNNABLE:
            raise InvalidStateError(f"draw {campaign_id!r} is {status}; it runs from closed or drawing_ready")
        raise InvalidStateError(f"draw {campaign_id!r} is {status}; only a drawn draw can be rolled back")
    return after


def refuse_unless_open_for_entries(campaign_id: str, status: str) -> None:
    if status != DrawStatus.OPEN:
        raise InvalidStateError(f"draw {campaign_id!r} is {status}, not open for entries")


def refuse_after_close(campaign_id: str, status: str, change: str) -> None:
    """Closing entries freezes every entry's decision and weight (issue 13): the set is hashed and published
    with the seed commitment, so nothing that changes eligibility or weights is accepted after it."""
    if status != DrawStatus.OPEN:
        raise InvalidStateError(f"eligibility of {campaign_id!r} was frozen when entries closed: {change} is "
                                "refused after close (it would change who may win after the set was published)",
                                field="campaign_id")
