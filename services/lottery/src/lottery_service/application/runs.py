"""Running a draw (seed §3.3–3.5): prepare → execute with the token, verify/replay, reveal, export,
and rollback (also two-step). A re-run after a rollback is a new run linked to the old one."""

from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.run_store import RunStore
from lottery_service.domain import draw_engine
from lottery_service.domain.draw_lifecycle import DrawStep, next_status
from lottery_service.domain.execution import PreparedDraw, completion_events, refuse_if_changed
from lottery_service.domain.export import RankedRow, csv_lines
from lottery_service.domain.kst import kst_iso
from lottery_service.domain.replay import first_difference
from lottery_service.domain.run_lifecycle import RunStatus, refuse_unless_completed, rolled_back
from lottery_service.application.draw_inputs import DrawInputs, gather_draw_inputs
from lottery_service.adapters.models import DrawResult, DrawRun
from lottery_service.application.seeds import SeedSource
from platform_shared.application.two_step import Acted, Reasoned, Requested, TwoStep
from platform_shared.application.unit_of_work import SqlUnitOfWork, UnitsOfWork
from platform_shared.contracts import topics
from platform_shared.contracts.admin.lottery import ReplayDifference, RevealOut, VerificationOut
from platform_shared.contracts.events import DrawRolledBack
from platform_shared.time.clock import Clock

EXECUTE = TwoStep("draw.execute", PreparedDraw)
ROLLBACK = TwoStep("draw.rollback", Reasoned)


class RunService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], seeds: SeedSource, clock: Clock,
                 results_per_part: int) -> None:
        self._sessions = sessions
        self._units = UnitsOfWork(sessions, clock)
        self._seeds = seeds
        self._results_per_part = results_per_part

    async def prepare(self, campaign_id: str, actor: str) -> dict[str, Any]:
        """Step one: exactly what execute will do, and the token that binds it."""
        async with self._units.begin() as uow:
            inputs = await gather_draw_inputs(uow.session, campaign_id, self._seeds, lock_draw=True)
            draw = inputs.draw
            inputs.refuse_unless_drawable()
            prepared = await _as_prepared(RunStore(uow.session), inputs)
            params = prepared.as_params()
            shown = {**params, "campaign_id": campaign_id, "draw_at_kst": kst_iso(draw.draw_at),
                     "seed_display": inputs.seed.hex(), "eligible": inputs.eligible_count,
                     "entries_above_cap": inputs.entries_above_cap,
                     "ranked": min(draw.seats + draw.waitlist_size, inputs.eligible_count)}
            # The seed is shown to the admin once (runbook §3.3) and kept nowhere but the draw.
            answer = await EXECUTE.request(uow, target=campaign_id, params=prepared, shown=shown, actor=actor,
                                           summary={k: v for k, v in shown.items() if k != "seed_display"})
            draw.status = next_status(campaign_id, draw.status, DrawStep.PREPARE)
            await uow.audit(actor=actor, action="draw.prepare", target=f"draw:{campaign_id}", params=params)
        return answer

    async def execute(self, campaign_id: str, token: str, actor: str) -> DrawRun:
        """Step two. The same token again returns the same run; changed entries or policy refuse."""
        async with self._units.begin() as uow:
            runs = RunStore(uow.session)

            async def execute(request: Requested[PreparedDraw]) -> Acted:
                inputs = await gather_draw_inputs(uow.session, campaign_id, self._seeds, lock_draw=True)
                inputs.refuse_unless_drawable()
                refuse_if_changed(request.params, await _as_prepared(runs, inputs))
                run = await self._store_run(uow, runs, inputs, request.params, actor)
                return Acted(outcome={"run_id": str(run.id)}, audit_target=f"draw:{campaign_id}",
                             params=request.params.as_params(), after={"run_id": str(run.id), "status": run.status})

            confirmed = await EXECUTE.confirm(uow, target=campaign_id, token=token, actor=actor, act=execute)
            return await runs.get(UUID(confirmed.outcome["run_id"]))

    async def _store_run(self, uow: SqlUnitOfWork[None], runs: RunStore, inputs: DrawInputs, prepared: PreparedDraw,
                         actor: str) -> DrawRun:
        draw, eligible = inputs.draw, inputs.eligible
        result = draw_engine.run_draw(eligible, inputs.seed, draw.seats, draw.waitlist_size, inputs.algorithm)
        previous = prepared.previous_run_id
        run = DrawRun(id=uuid4(), campaign_id=draw.campaign_id, previous_run_id=UUID(previous) if previous else None,
                      seats=draw.seats, waitlist_size=draw.waitlist_size, draw_at=draw.draw_at,
                      seed_hex=inputs.seed.hex(), commitment=draw.commitment,
                      entry_set_hash=prepared.entry_set_hash, algorithm=inputs.algorithm.name,
                      eligible_count=inputs.eligible_count,
                      policy_version=inputs.policy_version, weight_cap=inputs.weight_cap,
                      status=RunStatus.COMPLETED, executed_by=actor)
        await runs.add(run, eligible, result, inputs.frozen)
        draw.status = next_status(draw.campaign_id, draw.status, DrawStep.EXECUTE)
        await uow.publish(topics.DRAW_COMPLETED, completion_events(
            run_id=run.id, campaign_id=run.campaign_id, seats=run.seats, waitlist_size=run.waitlist_size,
            policy_version=run.policy_version, ranked_user_ids=result.user_ids.tolist(),
            per_part=self._results_per_part, occurred_at=uow.now))
        return run

    async def run_with_results(self, run_id: UUID) -> tuple[DrawRun, list[DrawResult]]:
        async with self._sessions() as session:
            runs = RunStore(session)
            return await runs.get(run_id), await runs.results(run_id)

    async def verify(self, run_id: UUID) -> VerificationOut:
        """Count check and audit replay: recompute from the set the run was drawn from and its seed under its own
        algorithm; ranks and outcomes must match exactly, keys within KEY_TOLERANCE (another machine's `log`
        may differ in the last bit: numpy's AVX-512 path does, on 0.35 % of inputs)."""
        async with self._sessions() as session:
            runs = RunStore(session)
            run, stored = await runs.get(run_id), await runs.results(run_id)
            inputs = await _drawn_entrants(runs, self._seeds, run)
        expected = min(run.seats + run.waitlist_size, run.eligible_count)
        algorithm = draw_engine.ALGORITHMS[run.algorithm]
        replay = draw_engine.run_draw(inputs, bytes.fromhex(run.seed_hex), run.seats, run.waitlist_size, algorithm)
        difference = first_difference(stored, replay)
        return VerificationOut(
            count_ok=len(stored) == expected, expected_count=expected, stored_count=len(stored),
            entry_set_ok=draw_engine.entry_set_hash(inputs, algorithm) == run.entry_set_hash,
            replay_matches=difference is None,
            first_difference=None if difference is None else ReplayDifference.model_validate(difference))

    async def reveal(self, run_id: UUID) -> RevealOut:
        """After the draw: the seed (never the secret) and what else an outsider needs to verify it."""
        async with self._sessions() as session:
            run = await RunStore(session).get(run_id)
        return RevealOut(run_id=run.id, campaign_id=run.campaign_id, draw_at_kst=kst_iso(run.draw_at),
                         seed=run.seed_hex, algorithm=run.algorithm, commitment=run.commitment,
                         entry_set_hash=run.entry_set_hash, seats=run.seats, waitlist_size=run.waitlist_size,
                         weight_cap=run.weight_cap, eligible_count=run.eligible_count, status=run.status,
                         previous_run_id=run.previous_run_id)

    async def export_csv(self, run_id: UUID) -> Iterator[str]:
        async with self._sessions() as session:
            runs = RunStore(session)
            run, stored = await runs.get(run_id), await runs.results(run_id)
            inputs = await _drawn_entrants(runs, self._seeds, run)
        ranked = [RankedRow(r.rank, r.kakao_user_id, r.outcome, r.key) for r in stored]
        return csv_lines(ranked, inputs, bytes.fromhex(run.seed_hex), draw_engine.ALGORITHMS[run.algorithm])

    async def prepare_rollback(self, run_id: UUID, reason: str, actor: str) -> dict[str, Any]:
        async with self._units.begin() as uow:
            runs = RunStore(uow.session)
            run = await runs.get(run_id)
            refuse_unless_completed(run_id, run.status)
            results = await runs.results(run_id)
            summary = {"run_id": str(run_id), "campaign_id": run.campaign_id, "reason": reason,
                       "winners_voided": sum(r.outcome == "winner" for r in results),
                       "waitlist_voided": sum(r.outcome == "waitlist" for r in results)}
            return await ROLLBACK.request(uow, target=str(run_id), params=Reasoned(reason), shown=summary, actor=actor)

    async def rollback(self, run_id: UUID, token: str, actor: str) -> DrawRun:
        """Void the run's winners and waitlist, publish draw_rolled_back, make the draw runnable again."""
        async with self._units.begin() as uow:

            async def roll_back(request: Requested[Reasoned]) -> Acted:
                run = await RunStore(uow.session).lock(run_id)
                status = rolled_back(run_id, run.status)
                draw = await DrawStore(uow.session).lock(run.campaign_id)
                reason = request.params.reason
                run.status, run.rolled_back_at, run.rollback_reason = status, uow.now, reason
                draw.status = next_status(draw.campaign_id, draw.status, DrawStep.ROLL_BACK)
                await uow.publish(topics.DRAW_ROLLED_BACK, [DrawRolledBack(
                    occurred_at=uow.now, run_id=run.id, campaign_id=run.campaign_id, reason=reason)])
                return Acted(outcome={"run_id": str(run_id)}, audit_target=f"draw:{run.campaign_id}", reason=reason,
                             before={"run_id": str(run_id), "status": RunStatus.COMPLETED},
                             after={"run_id": str(run_id), "status": status})

            await ROLLBACK.confirm(uow, target=str(run_id), token=token, actor=actor, act=roll_back)
            return await RunStore(uow.session).lock(run_id)


async def _drawn_entrants(runs: RunStore, seeds: SeedSource, run: DrawRun) -> draw_engine.Entrants:
    """The eligible set the run drew on, with the draw ids of its algorithm."""
    algorithm = draw_engine.ALGORITHMS[run.algorithm]
    if run.frozen_set_id is not None:
        frozen = await runs.frozen_set(run)
        assert frozen is not None, "a run refers to an existing set"
        return seeds.drawn_from(run.campaign_id, frozen, algorithm)
    stored = await runs.copied_inputs(run)
    return seeds.entrants(run.campaign_id, stored.user_ids, stored.weights, algorithm)


async def _as_prepared(runs: RunStore, inputs: DrawInputs) -> PreparedDraw:
    """What a draw would run on now: compared at execute with what prepare showed."""
    previous = await runs.latest(inputs.draw.campaign_id)
    return PreparedDraw(entry_set_hash=inputs.entry_set_hash(), policy_version=inputs.policy_version,
                        weight_cap=inputs.weight_cap, seats=inputs.draw.seats, waitlist_size=inputs.draw.waitlist_size,
                        previous_run_id=str(previous.id) if previous else None, commitment=inputs.draw.commitment)
