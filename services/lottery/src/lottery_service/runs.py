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
from lottery_service.draw_inputs import DrawInputs, gather_draw_inputs
from lottery_service.models import DrawResult, DrawRun, RunStatus
from lottery_service.seeds import SeedSource
from platform_shared.audit.chain import record_action
from platform_shared.audit.confirmations import claim_confirmation, complete_confirmation, request_confirmation
from platform_shared.contracts import topics
from platform_shared.contracts.admin.lottery import ReplayDifference, RevealOut, VerificationOut
from platform_shared.contracts.events import DrawRolledBack
from platform_shared.errors import InvalidStateError
from platform_shared.messaging import outbox
from platform_shared.time.clock import Clock

EXECUTE = "draw.execute"
ROLLBACK = "draw.rollback"


class RunService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], seeds: SeedSource, clock: Clock,
                 results_per_part: int) -> None:
        self._sessions = sessions
        self._seeds = seeds
        self._clock = clock
        self._results_per_part = results_per_part

    async def prepare(self, campaign_id: str, actor: str) -> dict[str, Any]:
        """Step one: exactly what execute will do, and the token that binds it."""
        async with self._sessions.begin() as session:
            inputs = await gather_draw_inputs(session, campaign_id, self._seeds, lock_draw=True)
            draw = inputs.draw
            inputs.refuse_unless_drawable()
            params = (await _as_prepared(RunStore(session), inputs)).as_params()
            summary = {**params, "campaign_id": campaign_id, "draw_at_kst": kst_iso(draw.draw_at),
                       "seed_display": inputs.seed.hex(), "eligible": inputs.eligible_count,
                       "entries_above_cap": inputs.entries_above_cap,
                       "ranked": min(draw.seats + draw.waitlist_size, inputs.eligible_count)}
            pending = await request_confirmation(session, action=EXECUTE, target=campaign_id, params=params,
                                                 summary={k: v for k, v in summary.items() if k != "seed_display"},
                                                 actor=actor, now=self._clock.now())
            draw.status = next_status(campaign_id, draw.status, DrawStep.PREPARE)
            await record_action(session, at=self._clock.now(), actor=actor, action="draw.prepare",
                                target=f"draw:{campaign_id}", params=params)
        return pending.prepared(summary)

    async def execute(self, campaign_id: str, token: str, actor: str) -> DrawRun:
        """Step two. The same token again returns the same run; changed entries or policy refuse."""
        async with self._sessions.begin() as session:
            now = self._clock.now()
            pending = await claim_confirmation(session, token, action=EXECUTE, target=campaign_id, now=now)
            runs = RunStore(session)
            if pending.confirmed:
                assert pending.outcome is not None, "a confirmed request always records its outcome"
                return await runs.get(UUID(pending.outcome["run_id"]))
            inputs = await gather_draw_inputs(session, campaign_id, self._seeds, lock_draw=True)
            inputs.refuse_unless_drawable()
            refuse_if_changed(PreparedDraw(**pending.params), await _as_prepared(runs, inputs))
            run = await self._store_run(session, runs, inputs, pending.params, actor)
            complete_confirmation(pending, actor=actor, now=now, outcome={"run_id": str(run.id)})
            await record_action(session, at=now, actor=actor, action=EXECUTE, target=f"draw:{campaign_id}",
                                params=pending.params, after={"run_id": str(run.id), "status": run.status})
        return run

    async def _store_run(self, session: AsyncSession, runs: RunStore, inputs: DrawInputs, params: dict[str, Any],
                         actor: str) -> DrawRun:
        draw, eligible = inputs.draw, inputs.eligible
        result = draw_engine.run_draw(eligible, inputs.seed, draw.seats, draw.waitlist_size, inputs.algorithm)
        previous = params["previous_run_id"]
        run = DrawRun(id=uuid4(), campaign_id=draw.campaign_id, previous_run_id=UUID(previous) if previous else None,
                      seats=draw.seats, waitlist_size=draw.waitlist_size, draw_at=draw.draw_at,
                      seed_hex=inputs.seed.hex(), commitment=draw.commitment,
                      entry_set_hash=params["entry_set_hash"], algorithm=inputs.algorithm.name,
                      eligible_count=inputs.eligible_count,
                      policy_version=inputs.policy_version, weight_cap=inputs.weight_cap,
                      status=RunStatus.COMPLETED, executed_by=actor)
        await runs.add(run, eligible, result, inputs.frozen)
        draw.status = next_status(draw.campaign_id, draw.status, DrawStep.EXECUTE)
        await outbox.enqueue(session, topics.DRAW_COMPLETED, completion_events(
            run_id=run.id, campaign_id=run.campaign_id, seats=run.seats, waitlist_size=run.waitlist_size,
            policy_version=run.policy_version, ranked_user_ids=result.user_ids.tolist(),
            per_part=self._results_per_part, occurred_at=self._clock.now()))
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
        async with self._sessions.begin() as session:
            runs = RunStore(session)
            run = await runs.get(run_id)
            if run.status != RunStatus.COMPLETED:
                raise InvalidStateError(f"run {run_id} is {run.status}; only a completed run can be rolled back")
            results = await runs.results(run_id)
            summary = {"run_id": str(run_id), "campaign_id": run.campaign_id, "reason": reason,
                       "winners_voided": sum(r.outcome == "winner" for r in results),
                       "waitlist_voided": sum(r.outcome == "waitlist" for r in results)}
            pending = await request_confirmation(session, action=ROLLBACK, target=str(run_id),
                                                 params={"reason": reason}, summary=summary, actor=actor,
                                                 now=self._clock.now())
        return pending.prepared(summary)

    async def rollback(self, run_id: UUID, token: str, actor: str) -> DrawRun:
        """Void the run's winners and waitlist, publish draw_rolled_back, make the draw runnable again."""
        async with self._sessions.begin() as session:
            now = self._clock.now()
            pending = await claim_confirmation(session, token, action=ROLLBACK, target=str(run_id), now=now)
            run = await RunStore(session).lock(run_id)
            if pending.confirmed:
                return run
            if run.status != RunStatus.COMPLETED:
                raise InvalidStateError(f"run {run_id} is already {run.status}")
            draw = await DrawStore(session).lock(run.campaign_id)
            reason = pending.params["reason"]
            run.status, run.rolled_back_at, run.rollback_reason = RunStatus.ROLLED_BACK, now, reason
            draw.status = next_status(draw.campaign_id, draw.status, DrawStep.ROLL_BACK)
            await outbox.enqueue(session, topics.DRAW_ROLLED_BACK, [DrawRolledBack(
                occurred_at=now, run_id=run.id, campaign_id=run.campaign_id, reason=reason)])
            complete_confirmation(pending, actor=actor, now=now, outcome={"run_id": str(run_id)})
            await record_action(session, at=now, actor=actor, action=ROLLBACK, target=f"draw:{run.campaign_id}",
                                reason=reason, before={"run_id": str(run_id), "status": RunStatus.COMPLETED},
                                after={"run_id": str(run_id), "status": RunStatus.ROLLED_BACK})
        return run


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
