"""A rolled-back run (seed §3.5): its offers and waitlist become void; no promotion for it ever again. In the
consumer's transaction together with the inbox claim."""

from platform_shared.contracts.events import DrawRolledBack
from waitlist_service.application.ports import SeatStore
from waitlist_service.domain.runs import RunStatus, move_run


async def void_run(event: DrawRolledBack, store: SeatStore) -> None:
    run = await store.lock_for_rollback(event)
    if run is None:
        return
    run.status, run.void_reason = move_run(run.status, RunStatus.VOID), event.reason
    run.voided_at = run.voided_at or event.occurred_at
    await store.void_offers_and_waitlist(event.run_id)
