"""The lottery's draw storage kept in memory, for the unit tier: one memory store per protocol of
lottery_service/application/ports.py, keeping the contract the SQL stores keep (adapters/) in dicts and lists
and sharing no code with them, so no call can reach SQL from here. On a `Ledger` (tests/memory_units.py), so
closing entries, prepare/execute and rollback run unchanged on `MemoryUnitsOfWork`.

The use cases change a draw's or a run's status on the row they loaded (the ORM flushes it in the service);
a unit that raises here gets those rows' columns back along with the collections."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import numpy as np
from sqlalchemy import inspect

from lottery_service.adapters.entry_set_store import StoredEntries
from lottery_service.adapters.models import Draw, DrawReopening, DrawResult, DrawRun, Entry
from lottery_service.application.ports import (
    CommitmentLog,
    Draws,
    DrawStores,
    EntrySets,
    FrozenSets,
    PolicyInForce,
    Reopenings,
    Runs,
)
from lottery_service.domain import draw_engine
from lottery_service.domain.commitments import Kind, Link, log_entry
from lottery_service.domain.eligibility import UNDECIDED, EntryColumns
from lottery_service.domain.event_review import entry_weight_cap
from lottery_service.domain.frozen_set import FrozenEntries
from lottery_service.domain.intake import NewEntry, entry_rows
from lottery_service.domain.kst import kst_iso
from lottery_service.domain.run_lifecycle import RunStatus
from platform_shared.contracts.policy import PolicyDocument, policy_defaults
from platform_shared.errors import ConflictError, NotFoundError
from platform_shared.time.clock import Clock
from tests.memory_units import Ledger, MemoryUnitsOfWork


@dataclass(frozen=True)
class FrozenSet:
    campaign_id: str
    entry_ids: np.ndarray
    """Aligned with the set's entries, as the SQL store keeps them (user id order)."""
    entries: FrozenEntries


@dataclass
class LotteryState(Ledger):
    draws: dict[str, Draw] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    blacklist: set[int] = field(default_factory=set)
    frozen_sets: dict[UUID, FrozenSet] = field(default_factory=dict)
    reopenings: list[DrawReopening] = field(default_factory=list)
    runs: list[DrawRun] = field(default_factory=list)
    """Oldest first: the order of `created_at` in the service."""
    results: dict[UUID, list[DrawResult]] = field(default_factory=dict)
    policy: tuple[int, PolicyDocument] = field(default_factory=lambda: (1, policy_defaults()))
    log: list[dict[str, Any]] = field(default_factory=list)
    """The public commitment log, oldest first."""

    def snapshot(self) -> dict[str, Any]:
        return {**super().snapshot(), "rows": [(row, _columns(row)) for row in self._changing_rows()]}

    def restore(self, snapshot: dict[str, Any]) -> None:
        rows = snapshot["rows"]
        super().restore({name: value for name, value in snapshot.items() if name != "rows"})
        for row, columns in rows:
            for name, value in columns.items():
                setattr(row, name, value)

    def _changing_rows(self) -> list[Any]:
        return [*self.draws.values(), *self.runs, *self.reopenings]

    def open_draw(self, draw: Draw, entries: list[NewEntry]) -> None:
        """A draw open for entries with `entries` admitted under the policy in force (what creating it and the
        admin's bulk import leave)."""
        assert draw.campaign_id not in self.draws, "one draw per campaign"
        self.draws[draw.campaign_id] = draw
        version, policy = self.policy
        rows = entry_rows(draw.campaign_id, entries, source="api", policy_version=version,
                          weight_cap=entry_weight_cap(draw.settings, policy), exempt_reason=None)
        first = len(self.entries) + 1
        self.entries += [Entry(id=first + n, invalid_reason=None, **row) for n, row in enumerate(rows)]


def _columns(row: Any) -> dict[str, Any]:
    return {attribute.key: getattr(row, attribute.key) for attribute in inspect(type(row)).column_attrs}


class MemoryDraws:
    def __init__(self, state: LotteryState) -> None:
        self._state = state

    async def get(self, campaign_id: str) -> Draw:
        draw = self._state.draws.get(campaign_id)
        if draw is None:
            raise NotFoundError(f"no draw {campaign_id!r}", field="campaign_id")
        return draw

    async def lock(self, campaign_id: str) -> Draw:
        """Nothing to lock: memory units run one at a time."""
        return await self.get(campaign_id)


class MemoryEntrySets:
    def __init__(self, state: LotteryState) -> None:
        self._state = state

    async def entries(self, campaign_id: str, frozen_set_id: UUID | None) -> StoredEntries:
        rows = sorted((e for e in self._state.entries if e.campaign_id == campaign_id), key=lambda e: e.id)
        columns = EntryColumns.from_rows([
            (e.kakao_user_id, e.weight, e.intro_seen, e.adgate_verified, e.adgate_exempt_reason is not None,
             e.suspicious, e.invalid_reason is not None, e.kakao_user_id in self._state.blacklist) for e in rows])
        ids = np.array([e.id for e in rows], dtype=np.int64)
        frozen = np.full(len(ids), UNDECIDED, dtype=np.int8)
        weights = np.full(len(ids), np.nan)
        if frozen_set_id is not None:
            held = self._state.frozen_sets[frozen_set_id]
            decided = dict(zip(held.entry_ids.tolist(), zip(held.entries.decisions.tolist(),
                                                             held.entries.weights.tolist(), strict=True), strict=True))
            frozen = np.array([decided.get(i, (UNDECIDED, 0.0))[0] for i in ids.tolist()], dtype=np.int8)
            weights = np.array([decided.get(i, (UNDECIDED, np.nan))[1] for i in ids.tolist()], dtype=np.float64)
        return StoredEntries(ids=ids, frozen=frozen, columns=columns, frozen_weights=weights)


class MemoryFrozenSets:
    def __init__(self, state: LotteryState) -> None:
        self._state = state

    async def add(self, campaign_id: str, algorithm: str, entry_ids: np.ndarray, frozen: FrozenEntries) -> UUID:
        assert frozen.draw_ids is not None, "a set is frozen with its draw ids"
        order, set_id = np.lexsort((entry_ids, frozen.user_ids)), uuid4()
        self._state.frozen_sets[set_id] = FrozenSet(campaign_id, entry_ids[order], FrozenEntries(
            frozen.user_ids[order], frozen.decisions[order], frozen.weights[order], frozen.set_hash,
            draw_ids=frozen.draw_ids[order], set_id=set_id))
        return set_id

    async def load(self, set_id: UUID) -> FrozenEntries:
        held = self._state.frozen_sets.get(set_id)
        if held is None:
            raise NotFoundError(f"no frozen entry set {set_id}", field="frozen_set_id")
        return held.entries


class MemoryReopenings:
    def __init__(self, state: LotteryState) -> None:
        self._state = state

    async def under_way(self, campaign_id: str) -> DrawReopening | None:
        return next((r for r in self._state.reopenings
                     if r.campaign_id == campaign_id and r.new_commitment is None), None)


class MemoryRuns:
    def __init__(self, state: LotteryState) -> None:
        self._state = state

    async def get(self, run_id: UUID) -> DrawRun:
        run = next((run for run in self._state.runs if run.id == run_id), None)
        if run is None:
            raise NotFoundError(f"no draw run {run_id}", field="run_id")
        return run

    async def lock(self, run_id: UUID) -> DrawRun:
        return await self.get(run_id)

    async def latest(self, campaign_id: str) -> DrawRun | None:
        return next((run for run in reversed(self._state.runs) if run.campaign_id == campaign_id), None)

    async def results(self, run_id: UUID) -> list[DrawResult]:
        return sorted(self._state.results.get(run_id, []), key=lambda result: result.rank)

    async def add(self, run: DrawRun, eligible: draw_engine.Entrants, result: draw_engine.DrawResult,
                  frozen: FrozenEntries | None) -> None:
        # The partial unique index of draw_runs: one completed run per draw.
        if any(r.campaign_id == run.campaign_id and r.status == run.status == RunStatus.COMPLETED
               for r in self._state.runs):
            raise ConflictError(f"draw {run.campaign_id!r} has a completed run already")
        run.frozen_set_id = None if frozen is None else frozen.set_id
        self._state.runs.append(run)
        self._state.results[run.id] = [
            DrawResult(run_id=run.id, rank=rank, kakao_user_id=user, outcome="winner" if rank <= result.seats
                       else "waitlist", weight=weight, key=key)
            for rank, (user, weight, key) in enumerate(
                zip(result.user_ids.tolist(), result.weights.tolist(), result.keys.tolist(), strict=True), start=1)]


class MemoryCommitmentLog:
    def __init__(self, state: LotteryState) -> None:
        self._state = state

    async def append(self, campaign_id: str, at: datetime, kind: Kind, record: dict[str, Any]) -> dict[str, Any]:
        log = self._state.log
        mine = [entry for entry in log if entry["campaign_id"] == campaign_id]
        entry = log_entry(head=Link(log[-1]["seq"], log[-1]["hash"]) if log else None,
                          campaign_last=Link(mine[-1]["number"], mine[-1]["hash"]) if mine else None,
                          campaign_id=campaign_id, at_kst=kst_iso(at), kind=kind, record=record)
        log.append(entry)
        return entry


class MemoryPolicyInForce:
    def __init__(self, state: LotteryState) -> None:
        self._state = state

    async def current(self) -> tuple[int, PolicyDocument]:
        return self._state.policy


# mypy proves each keeps its protocol's contract
_CONTRACTS: tuple[type[Draws], type[EntrySets], type[FrozenSets], type[Reopenings], type[Runs], type[PolicyInForce],
                  type[CommitmentLog]] = (MemoryDraws, MemoryEntrySets, MemoryFrozenSets, MemoryReopenings, MemoryRuns,
                                          MemoryPolicyInForce, MemoryCommitmentLog)


def memory_stores(state: LotteryState) -> DrawStores:
    return DrawStores(draws=MemoryDraws(state), entry_sets=MemoryEntrySets(state),
                      frozen_sets=MemoryFrozenSets(state), reopenings=MemoryReopenings(state),
                      runs=MemoryRuns(state), policy=MemoryPolicyInForce(state), log=MemoryCommitmentLog(state))


def memory_units(clock: Clock) -> tuple[MemoryUnitsOfWork[LotteryState, DrawStores], LotteryState]:
    state = LotteryState()
    return MemoryUnitsOfWork(state, clock, memory_stores), state
