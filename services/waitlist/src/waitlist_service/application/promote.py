"""Promote now (seed §4): a promotion pass over one run, asked for by ops (audited) or by a caller that names
its trigger. The scheduler's passes over every due run are promote_due_runs.py."""

from dataclasses import dataclass
from uuid import UUID

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.time.clock import Clock
from waitlist_service.application.ports import Stores
from waitlist_service.application.promotion_pass import PassOutcome, Trigger, promotion_pass
from waitlist_service.metrics import PROMOTION_PASS_SECONDS


@dataclass(frozen=True)
class PromoteRun:
    run_id: UUID
    trigger: Trigger
    actor: str | None = None
    """The operator who asked, audited; None for a pass no operator asked for."""


async def promote_run(command: PromoteRun, units: UnitsOfWork[None], stores: Stores, clock: Clock) -> PassOutcome:
    with PROMOTION_PASS_SECONDS.time():
        async with units.begin() as uow:
            store = stores(uow.session)
            outcome = await promotion_pass(store, await store.lock(command.run_id), command.trigger, clock)
            if command.actor is not None:
                await uow.audit(actor=command.actor, action="waitlist.promote", target=f"run:{command.run_id}",
                                after=outcome.__dict__ | {"run_id": str(command.run_id)})
    return outcome
