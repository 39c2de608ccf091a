"""The correction a re-run owes the run it re-draws (runbook §3.5 step 3, §14.2): loaded here, decided by
domain/corrections.py (who kept, lost or newly won a seat, and what each is told)."""

from platform_shared.contracts.events import DrawCompleted, DrawRolledBack
from waitlist_service.application.ports import SeatStore
from waitlist_service.application.void_run import void_run
from waitlist_service.domain.corrections import Correction


async def correction_for(store: SeatStore, event: DrawCompleted) -> Correction | None:
    """None for a first run. The rolled-back run is voided here if its `draw_rolled_back` (another topic) has
    not arrived yet — the re-run's results say it was rolled back, why and when — so its offers are never
    answerable next to the re-run's, and the rollback, when it comes, changes nothing more. Its lock also
    orders this with a late `notification_delivered` for it (a message in flight at the rollback): that one is
    either counted as told here or waits for this transaction."""
    previous = event.re_draws
    if previous is None:
        return None
    await void_run(DrawRolledBack(occurred_at=previous.rolled_back_at, run_id=previous.run_id,
                                  campaign_id=event.campaign_id, reason=previous.reason), store)
    told = frozenset(o.user_id for o in await store.offers(previous.run_id) if o.told_at is not None)
    return Correction(rolled_back_run_id=previous.run_id, reason=previous.reason,
                      rolled_back_at=previous.rolled_back_at, told=told)
