"""Rolling a run back (seed §3.5), two steps: prepare shows what will be voided and gives the token; confirm
voids the run's winners and waitlist, publishes `draw_rolled_back` and makes the draw runnable again. A re-run
is a new run linked to this one (execute_draw.py)."""

from typing import Any
from uuid import UUID

from lottery_service.adapters.models import DrawRun
from lottery_service.application.ports import DrawStores
from lottery_service.domain.commitments import Kind
from lottery_service.domain.draw_lifecycle import DrawStep, next_status
from lottery_service.domain.run_lifecycle import RunStatus, refuse_unless_completed, rolled_back
from platform_shared.application.two_step import Acted, Reasoned, Requested, TwoStep
from platform_shared.application.unit_of_work import Units
from platform_shared.contracts import topics
from platform_shared.contracts.events import DrawRolledBack

ROLLBACK = TwoStep("draw.rollback", Reasoned)
"""The command: the reason, bound to the token the confirmation must bring."""


class RollbackRun:
    def __init__(self, units: Units[DrawStores]) -> None:
        self._units = units

    async def prepare_rollback(self, run_id: UUID, reason: str, actor: str) -> dict[str, Any]:
        """Step one: how many winners and waitlisted entrants the rollback voids, and the token."""
        async with self._units.begin() as uow:
            runs = uow.stores.runs
            run = await runs.get(run_id)
            refuse_unless_completed(run_id, run.status)
            results = await runs.results(run_id)
            summary = {"run_id": str(run_id), "campaign_id": run.campaign_id, "reason": reason,
                       "winners_voided": sum(r.outcome == "winner" for r in results),
                       "waitlist_voided": sum(r.outcome == "waitlist" for r in results)}
            return await ROLLBACK.request(uow, target=str(run_id), params=Reasoned(reason), shown=summary, actor=actor)

    async def rollback(self, run_id: UUID, token: str, actor: str) -> DrawRun:
        """Step two: void the run's winners and waitlist, publish draw_rolled_back, make the draw runnable again."""
        async with self._units.begin() as uow:

            async def roll_back(request: Requested[Reasoned]) -> Acted:
                run = await uow.stores.runs.lock(run_id)
                status = rolled_back(run_id, run.status)
                draw = await uow.stores.draws.lock(run.campaign_id)
                reason = request.params.reason
                run.status, run.rolled_back_at, run.rollback_reason = status, uow.now, reason
                draw.status = next_status(draw.campaign_id, draw.status, DrawStep.ROLL_BACK)
                if run.result_hash is not None:  # a LOTTERY4 run is in the public log: so is its rollback
                    await uow.stores.log.append(run.campaign_id, uow.now, Kind.ROLLED_BACK,
                                                {"run_id": str(run_id), "reason": reason})
                await uow.publish(topics.DRAW_ROLLED_BACK, [DrawRolledBack(
                    occurred_at=uow.now, run_id=run.id, campaign_id=run.campaign_id, reason=reason)])
                return Acted(outcome={"run_id": str(run_id)}, audit_target=f"draw:{run.campaign_id}", reason=reason,
                             before={"run_id": str(run_id), "status": RunStatus.COMPLETED},
                             after={"run_id": str(run_id), "status": status})

            await ROLLBACK.confirm(uow, target=str(run_id), token=token, actor=actor, act=roll_back)
            return await uow.stores.runs.lock(run_id)
