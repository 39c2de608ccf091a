"""Running a draw (seed §3.3): prepare shows exactly what execute will do and binds it to a token; execute with
the token draws, stores the ranked run and publishes `draw_completed`. The same token again answers the same
run; entries, policy, seats or seed changed in between refuse. A re-run after a rollback (rollback_run.py) is
a new run linked to the old one.

A LOTTERY4 draw's keys need the beacon round its commitment names (docs/draw-algorithm.md §8.4): execute
fetches and verifies it first, outside the transaction, waiting a few seconds for a round about to be
published. An unreachable beacon refuses the execution and marks the draw waiting (the status and an alert
say so): there is no fallback to a seed an insider could know."""

from dataclasses import replace
from typing import Any
from uuid import UUID, uuid4

from lottery_service.adapters.models import DrawRun
from lottery_service.application.committed_rounds import refuse_unless_committed_round
from lottery_service.application.draw_inputs import DrawInputs, gather_draw_inputs
from lottery_service.application.ports import BeaconRounds, DrawStores, Runs
from lottery_service.application.seeds import SeedSource
from lottery_service.domain import draw_engine
from lottery_service.domain.commitments import Kind, ranked_draw_ids, result_hash, round_due
from lottery_service.domain.draw_lifecycle import DrawStep, next_status
from lottery_service.domain.execution import (
    PreparedDraw,
    completion_events,
    draw_time_reached,
    refuse_if_changed,
    refuse_if_early,
)
from lottery_service.domain.kst import kst_iso
from lottery_service.domain.run_lifecycle import RunStatus
from platform_shared.application.two_step import Acted, Requested, TwoStep
from platform_shared.application.unit_of_work import UnitOfWork, Units
from platform_shared.contracts import topics
from platform_shared.contracts.events import RolledBackRun

EXECUTE = TwoStep("draw.execute", PreparedDraw)
"""The command: what prepare showed, bound to the token execute must bring (domain/execution.py)."""


class ExecuteDraw:
    def __init__(self, units: Units[DrawStores], seeds: SeedSource, results_per_part: int,
                 beacon: BeaconRounds) -> None:
        self._units = units
        self._seeds = seeds
        self._results_per_part = results_per_part
        self._beacon = beacon

    async def prepare(self, campaign_id: str, actor: str, early_reason: str | None = None) -> dict[str, Any]:
        """Step one: exactly what execute will do, and the token that binds it. Before the draw time only with
        `early_reason`, which the token binds and both audit records keep (seed §3.1)."""
        async with self._units.begin() as uow:
            inputs = await gather_draw_inputs(uow.stores, campaign_id, self._seeds, lock_draw=True)
            draw = inputs.draw
            inputs.refuse_unless_drawable()
            early = None if draw_time_reached(draw.draw_at, uow.now) else early_reason
            refuse_if_early(draw.draw_at, uow.now, early)
            prepared = replace(await _as_prepared(uow.stores.runs, inputs), early_reason=early)
            params = prepared.as_params()
            shown = {**params, "campaign_id": campaign_id, "draw_at_kst": kst_iso(draw.draw_at),
                     "seed_display": inputs.seed.hex(), "eligible": inputs.eligible_count,
                     "entries_above_cap": inputs.entries_above_cap,
                     "ranked": min(draw.seats + draw.waitlist_size, inputs.eligible_count),
                     # The keys need this round too (docs/draw-algorithm.md §8.4): until it is published, the
                     # seed shown here gives nobody a key.
                     "beacon_round": draw.beacon_round,
                     "beacon_due_at_kst": None if draw.committed is None else kst_iso(round_due(draw.committed))}
            # The seed is shown to the admin once (runbook §3.3) and kept nowhere but the draw.
            answer = await EXECUTE.request(uow, target=campaign_id, params=prepared, shown=shown, actor=actor,
                                           summary={k: v for k, v in shown.items() if k != "seed_display"})
            draw.status = next_status(campaign_id, draw.status, DrawStep.PREPARE)
            await uow.audit(actor=actor, action="draw.prepare", target=f"draw:{campaign_id}", params=params,
                            reason=early or "")
        return answer

    async def execute(self, campaign_id: str, token: str, actor: str) -> DrawRun:
        """Step two. The same token again returns the same run; changed entries or policy refuse."""
        beacon = await self._beacon.round_for(campaign_id)
        async with self._units.begin() as uow:
            runs = uow.stores.runs

            async def execute(request: Requested[PreparedDraw]) -> Acted:
                inputs = await gather_draw_inputs(uow.stores, campaign_id, self._seeds, lock_draw=True)
                inputs.refuse_unless_drawable()
                refuse_if_early(inputs.draw.draw_at, uow.now, request.params.early_reason)
                refuse_if_changed(request.params, await _as_prepared(runs, inputs))
                refuse_unless_committed_round(inputs.draw.beacon_round, beacon)
                run = await self._store_run(uow, replace(inputs, beacon=beacon), request.params, actor)
                return Acted(outcome={"run_id": str(run.id)}, audit_target=f"draw:{campaign_id}",
                             params=request.params.as_params(), after={"run_id": str(run.id), "status": run.status},
                             reason=request.params.early_reason or "")

            confirmed = await EXECUTE.confirm(uow, target=campaign_id, token=token, actor=actor, act=execute)
            return await runs.get(UUID(confirmed.outcome["run_id"]))

    async def _store_run(self, uow: UnitOfWork[DrawStores], inputs: DrawInputs, prepared: PreparedDraw,
                         actor: str) -> DrawRun:
        draw, eligible, beacon = inputs.draw, inputs.eligible, inputs.beacon
        result = draw_engine.run_draw(eligible, inputs.key_seed, draw.seats, draw.waitlist_size, inputs.algorithm)
        previous = prepared.previous_run_id
        run = DrawRun(id=uuid4(), campaign_id=draw.campaign_id, previous_run_id=UUID(previous) if previous else None,
                      seats=draw.seats, waitlist_size=draw.waitlist_size, draw_at=draw.draw_at,
                      seed_hex=inputs.seed.hex(), commitment=draw.commitment,
                      entry_set_hash=prepared.entry_set_hash, algorithm=inputs.algorithm.name,
                      eligible_count=inputs.eligible_count,
                      policy_version=inputs.policy_version, weight_cap=inputs.weight_cap,
                      status=RunStatus.COMPLETED, executed_by=actor)
        await uow.stores.runs.add(run, eligible, result, inputs.frozen)
        if beacon is not None:
            run.beacon_round, run.beacon_randomness, run.beacon_signature = (beacon.round, beacon.randomness,
                                                                             beacon.signature)
            run.result_hash, run.committed = result_hash(ranked_draw_ids(eligible, result)), draw.committed
            draw.beacon_waiting_since, draw.beacon_problem = None, None
            await uow.stores.log.append(draw.campaign_id, uow.now, Kind.RUN, {
                "run_id": str(run.id), "previous_run_id": previous, "commitment": draw.commitment,
                "beacon": beacon.as_record(), "eligible": inputs.eligible_count, "result_hash": run.result_hash})
        draw.status = next_status(draw.campaign_id, draw.status, DrawStep.EXECUTE)
        await uow.publish(topics.DRAW_COMPLETED, completion_events(
            run_id=run.id, campaign_id=run.campaign_id, seats=run.seats, waitlist_size=run.waitlist_size,
            policy_version=run.policy_version, ranked_user_ids=result.user_ids.tolist(),
            per_part=self._results_per_part, occurred_at=uow.now, campaign_name=draw.name,
            re_draws=await _rolled_back(uow.stores.runs, run.previous_run_id)))
        return run


async def _rolled_back(runs: Runs, run_id: UUID | None) -> RolledBackRun | None:
    """The run a re-run replaces, as its results carry it (seed §3.5): what was rolled back, why and when."""
    if run_id is None:
        return None
    previous = await runs.get(run_id)
    if previous.rolled_back_at is None or not previous.rollback_reason:
        return None
    return RolledBackRun(run_id=previous.id, reason=previous.rollback_reason, rolled_back_at=previous.rolled_back_at)


async def _as_prepared(runs: Runs, inputs: DrawInputs) -> PreparedDraw:
    """What a draw would run on now: compared at execute with what prepare showed."""
    previous = await runs.latest(inputs.draw.campaign_id)
    return PreparedDraw(entry_set_hash=inputs.entry_set_hash(), policy_version=inputs.policy_version,
                        weight_cap=inputs.weight_cap, seats=inputs.draw.seats, waitlist_size=inputs.draw.waitlist_size,
                        previous_run_id=str(previous.id) if previous else None, commitment=inputs.draw.commitment)
