"""The stores the draw's use cases need (close entries, prepare and execute, roll back, dry run), as
protocols naming every method they call: `adapters/` implements them on PostgreSQL (`application/units.py`
builds them on each unit's session), tests/memory_lottery.py in memory, sharing no code, so no call can fall
through to SQL (mypy checks both keep the contract)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

import numpy as np

from lottery_service.adapters.entry_set_store import StoredEntries
from lottery_service.adapters.models import Draw, DrawReopening, DrawResult, DrawRun
from lottery_service.domain.beacon import BeaconRound
from lottery_service.domain.commitments import Kind
from lottery_service.domain.draw_engine import DrawResult as RankedDraw
from lottery_service.domain.draw_engine import Entrants
from lottery_service.domain.frozen_set import FrozenEntries
from platform_shared.contracts.policy import PolicyDocument


class Draws(Protocol):
    async def get(self, campaign_id: str) -> Draw: ...

    async def lock(self, campaign_id: str) -> Draw:
        """The draw under its row lock until the unit ends: whatever changes its status queues here."""
        ...


class EntrySets(Protocol):
    async def entries(self, campaign_id: str, frozen_set_id: UUID | None) -> StoredEntries:
        """Every entry of the draw in id order with what eligibility screens on, and the decision frozen in
        `frozen_set_id` (UNDECIDED for an entry it does not hold)."""
        ...


class FrozenSets(Protocol):
    async def add(self, campaign_id: str, algorithm: str, entry_ids: np.ndarray, frozen: FrozenEntries) -> UUID: ...

    async def load(self, set_id: UUID) -> FrozenEntries: ...


class Reopenings(Protocol):
    async def under_way(self, campaign_id: str) -> DrawReopening | None: ...


class CommitmentLog(Protocol):
    async def append(self, campaign_id: str, at: datetime, kind: Kind, record: dict[str, Any]) -> dict[str, Any]:
        """The next entry of the public log (docs/draw-algorithm.md §8.5), chained to the head and to the
        campaign's last entry."""
        ...


class BeaconRounds(Protocol):
    async def round_for(self, campaign_id: str) -> BeaconRound | None:
        """The beacon round the draw committed to, fetched and verified; None for a draw committed before
        LOTTERY4. Raises when it cannot be had (not yet published, beacon unreachable, bad signature)."""
        ...


class Runs(Protocol):
    async def get(self, run_id: UUID) -> DrawRun: ...

    async def lock(self, run_id: UUID) -> DrawRun: ...

    async def latest(self, campaign_id: str) -> DrawRun | None:
        """The draw's most recent run, live or rolled back."""
        ...

    async def results(self, run_id: UUID) -> list[DrawResult]:
        """Winners, then the waitlist, in rank order."""
        ...

    async def add(self, run: DrawRun, eligible: Entrants, result: RankedDraw, frozen: FrozenEntries | None) -> None:
        ...


class PolicyInForce(Protocol):
    async def current(self) -> tuple[int, PolicyDocument]:
        """The policy version in force and its document (the defaults before any is published)."""
        ...


@dataclass(frozen=True)
class DrawStores:
    """What one unit of work of the draw's use cases reaches."""

    draws: Draws
    entry_sets: EntrySets
    frozen_sets: FrozenSets
    reopenings: Reopenings
    runs: Runs
    policy: PolicyInForce
    log: CommitmentLog
