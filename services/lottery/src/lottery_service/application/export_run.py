"""A run's exports (seed §3.4): the operators' CSV of every eligible entrant with rank, outcome, weight and key,
and the public verification bundle (the run, the campaign's frozen entry set under pseudonyms and every run of
the campaign; domain/bundle.py writes it)."""

from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.commitment_log_store import CommitmentLogStore
from lottery_service.adapters.models import DrawReopening, DrawRun
from lottery_service.adapters.reopening_store import ReopeningStore
from lottery_service.adapters.run_store import RunStore
from lottery_service.application.draw_inputs import drawn_entrants
from lottery_service.application.seeds import SeedSource
from lottery_service.domain.bundle import Ranked, bundle_chunks
from lottery_service.domain.draw_engine import ALGORITHMS, LOTTERY1
from lottery_service.domain.export import RankedRow, csv_lines
from lottery_service.domain.kst import kst_iso
from lottery_service.domain.pseudonyms import pseudonyms
from platform_shared.errors import InvalidStateError


class ExportRun:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], seeds: SeedSource) -> None:
        self._sessions = sessions
        self._seeds = seeds

    async def export_csv(self, run_id: UUID) -> Iterator[str]:
        async with self._sessions() as session:
            runs = RunStore(session)
            run, stored = await runs.get(run_id), await runs.results(run_id)
            inputs = await drawn_entrants(runs, self._seeds, run)
        ranked = [RankedRow(r.rank, r.kakao_user_id, r.outcome, r.key) for r in stored]
        return csv_lines(ranked, inputs, run.key_seed, ALGORITHMS[run.algorithm])

    async def bundle(self, run_id: UUID) -> Iterator[str]:
        """From what the run itself was drawn on (kept with it), so a later reopen changes no earlier bundle."""
        async with self._sessions() as session:
            runs = RunStore(session)
            run = await runs.get(run_id)
            frozen = await runs.frozen_set(run)
            if frozen is None or run.algorithm == LOTTERY1.name:
                raise InvalidStateError(f"run {run_id} was drawn before entry sets were frozen at close: verify it "
                                        "with its export.csv and reveal (tools/verify_draw.py)", field="run_id")
            results, attempts = await runs.results(run_id), await runs.of_campaign(run.campaign_id)
            reopenings = await ReopeningStore(session).of_campaign(run.campaign_id)
            log = await CommitmentLogStore(session).since_campaign_start(run.campaign_id)
        seed, algorithm = run.key_seed, ALGORITHMS[run.algorithm]
        ranked = {r.kakao_user_id: Ranked(r.rank, r.outcome) for r in results}
        draw_ids = self._seeds.frozen_draw_ids(run.campaign_id, frozen, algorithm)
        if algorithm.beacon:
            return bundle_chunks(_header_2(run, frozen.set_hash, log), seed, algorithm, frozen, draw_ids, ranked)

        def names(user_ids: np.ndarray) -> list[str]:
            return pseudonyms(seed, self._seeds.draw_ids(run.campaign_id, user_ids, algorithm), algorithm)

        header = {"run_id": str(run.id), "campaign_id": run.campaign_id, "status": run.status,
                  "draw_at_kst": kst_iso(run.draw_at), "commitment": run.commitment, "seed": run.seed_hex,
                  "frozen_set_hash": frozen.set_hash, "seats": run.seats, "waitlist_size": run.waitlist_size,
                  "runs": [_attempt(attempt) for attempt in attempts],
                  "reopenings": [_reopening(r, names) for r in reopenings if r.changes is not None]}
        return bundle_chunks(header, seed, algorithm, frozen, draw_ids, ranked)


def _header_2(run: DrawRun, frozen_set_hash: str, log: list[dict[str, Any]]) -> dict[str, Any]:
    """Bundle 2 (docs/draw-algorithm.md §8.7): the commitment record and the stretch of the public log from the
    campaign's first entry to the head, which binds every run and reopen in order."""
    assert run.committed is not None and run.beacon is not None, "a LOTTERY4 run keeps its commitment and round"
    return {"run_id": str(run.id), "campaign_id": run.campaign_id, "status": run.status,
            "draw_at_kst": kst_iso(run.draw_at), "seed": run.seed_hex, "commitment": run.commitment,
            "committed": run.committed, "frozen_set_hash": frozen_set_hash, "seats": run.seats,
            "waitlist_size": run.waitlist_size, "weight_cap": run.committed["weight_cap"],
            "beacon": run.beacon.as_record(), "result_hash": run.result_hash,
            "log": {"head": {"seq": log[-1]["seq"], "hash": log[-1]["hash"]}, "entries": log}}


def _attempt(run: DrawRun) -> dict[str, Any]:
    return {"run_id": str(run.id), "status": run.status, "algorithm": run.algorithm,
            "previous_run_id": str(run.previous_run_id) if run.previous_run_id else None,
            "commitment": run.commitment, "rollback_reason": run.rollback_reason}


def _reopening(reopening: DrawReopening, pseudonyms_of: Callable[[np.ndarray], list[str]]) -> dict[str, Any]:
    """A correction as an outsider sees it: the burned seed, and which entries changed decision, under the
    pseudonyms of this bundle."""
    changes = reopening.changes or []
    names = pseudonyms_of(np.array([c["kakao_user_id"] for c in changes], dtype=np.uint64))
    return {"number": reopening.number, "reason": reopening.reason, "burned_seed": reopening.burned_seed_hex,
            "burned_commitment": reopening.burned_commitment, "new_commitment": reopening.new_commitment,
            "changes": [{"pseudonym": name, "from": c["from"], "to": c["to"]}
                        for name, c in zip(names, changes, strict=True)]}
