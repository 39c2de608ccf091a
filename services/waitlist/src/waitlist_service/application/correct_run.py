"""The correction a re-run owes the run it re-draws (runbook §3.5 step 3, §14.2): loaded here, decided by
domain/corrections.py (who kept, lost or newly won a seat, and what each is told)."""

from datetime import datetime

from waitlist_service.adapters.models import WaitlistRun
from waitlist_service.application.ports import SeatStore
from waitlist_service.domain.corrections import Correction
from waitlist_service.domain.runs import RunStatus


async def correction_for(store: SeatStore, run: WaitlistRun, now: datetime) -> Correction | None:
    """None for a first run, or when the run it follows was never rolled back here. The rolled-back run is
    locked, so a late `notification_delivered` for it (a message in flight at the rollback) is either counted
    or waits for this transaction."""
    if run.previous_run_id is None:
        return None
    previous = await store.lock_if_known(run.previous_run_id)
    if previous is None or previous.status != RunStatus.VOID:
        return None
    told = frozenset(o.user_id for o in await store.offers(previous.run_id) if o.told_at is not None)
    return Correction(rolled_back_run_id=previous.run_id, reason=previous.void_reason or "",
                      rolled_back_at=previous.voided_at or now, told=told)
