"""Verifying a run (seed §3.4): its ranked results, the count check and the audit replay, and the reveal of
its seed (never the secret) with everything else an outsider needs to verify it."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.models import DrawResult, DrawRun
from lottery_service.adapters.run_store import RunStore
from lottery_service.application.draw_inputs import drawn_entrants
from lottery_service.application.seeds import SeedSource
from lottery_service.domain import draw_engine
from lottery_service.domain.kst import kst_iso
from lottery_service.domain.replay import first_difference
from platform_shared.contracts.admin.lottery import ReplayDifference, RevealOut, VerificationOut


class VerifyRun:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], seeds: SeedSource) -> None:
        self._sessions = sessions
        self._seeds = seeds

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
            inputs = await drawn_entrants(runs, self._seeds, run)
        expected = min(run.seats + run.waitlist_size, run.eligible_count)
        algorithm = draw_engine.ALGORITHMS[run.algorithm]
        replay = draw_engine.run_draw(inputs, run.key_seed, run.seats, run.waitlist_size, algorithm)
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
                         previous_run_id=run.previous_run_id, committed=run.committed,
                         beacon=None if run.beacon is None else run.beacon.as_record())
