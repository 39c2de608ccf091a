"""Running a draw and rolling it back, through the use cases (lottery_service/application/close_entries.py,
execute_draw.py, rollback_run.py): close freezes the set and commits to the seed; prepare → execute is one run,
published and audited; the same token again answers the same run and acts once; a rollback voids it and
publishes `draw_rolled_back`; the re-run is a new run linked to the old one, drawn from the same set and seed,
so it ranks the same entrants. One scenario, run twice: in memory (tests/memory_units.py, memory_lottery.py)
and on a PostgreSQL database of its own. The outcomes are read from state: runs, results, outbox, audit log."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Protocol
from uuid import UUID

import pytest

from lottery_service.adapters.models import Draw
from lottery_service.application.close_entries import CloseEntries
from lottery_service.application.create_draw import CreateDraw
from lottery_service.application.execute_draw import ExecuteDraw
from lottery_service.application.import_entries import ImportEntries
from lottery_service.application.ports import BeaconRounds, DrawStores
from lottery_service.application.rollback_run import RollbackRun
from lottery_service.application.seeds import SeedSource
from lottery_service.application.units import sql_units
from lottery_service.domain.draw_lifecycle import DrawStatus
from lottery_service.domain.intake import NewEntry
from lottery_service.domain.run_lifecycle import RunStatus
from lottery_service.main import MIGRATIONS
from platform_deploy.infra import Infrastructure
from platform_shared.application.unit_of_work import Units
from platform_shared.contracts import topics
from platform_shared.contracts.events import DrawCompleted, DrawRolledBack
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.errors import InvalidStateError
from platform_shared.time.clock import KST, FixedClock
from tests.beacon_support import TEST_CHAIN, RecordedRounds, sql_rounds
from tests.memory_lottery import LotteryState, memory_units
from tests.support import fetch, fresh_database

CAMPAIGN, SEATS, WAITLIST = "spring-fair", 3, 2
ENTRANTS = [NewEntry(kakao_user_id=9_000 + n, weight=1 + n % 3, intro_seen=True, adgate_verified=True)
            for n in range(12)]
NOW = datetime(2031, 3, 3, 10, 0, tzinfo=KST)
SECRET = "scenario-secret-" + "s" * 32

Ranked = list[tuple[int, int, str]]
"""(rank, kakao user id, outcome), in rank order"""
Audit = list[tuple[str, str, str]]
"""(actor, action, target), in order"""
Published = list[tuple[str, UUID]]
"""(topic, run id) of each event the units published, in order"""


class DrawWorld(Protocol):
    closing: CloseEntries
    execution: ExecuteDraw
    rollback: RollbackRun

    async def draw_status(self) -> str: ...

    async def ranked(self, run_id: UUID) -> Ranked: ...

    async def published(self) -> Published: ...

    async def audited(self) -> Audit: ...


async def scenario(world: DrawWorld) -> None:
    setup = len(await world.audited())
    closed = await world.closing.close_entries(CAMPAIGN, "kim")
    assert closed.status == DrawStatus.CLOSED and closed.commitment and closed.frozen_set_hash

    prepared = await world.execution.prepare(CAMPAIGN, "kim")
    assert (prepared["eligible"], prepared["ranked"]) == (len(ENTRANTS), SEATS + WAITLIST)
    assert (prepared["previous_run_id"], prepared["commitment"]) == (None, closed.commitment)
    assert await world.draw_status() == DrawStatus.DRAWING_READY
    run = await world.execution.execute(CAMPAIGN, prepared["token"], "lee")
    again = await world.execution.execute(CAMPAIGN, prepared["token"], "lee")
    assert (run.status, run.previous_run_id, run.executed_by) == (RunStatus.COMPLETED, None, "lee")
    assert again.id == run.id, "the same token twice is one run"
    first = await world.ranked(run.id)
    assert [outcome for _, _, outcome in first] == ["winner"] * SEATS + ["waitlist"] * WAITLIST
    assert await world.draw_status() == DrawStatus.DRAWING_DONE
    assert await world.published() == [(topics.DRAW_COMPLETED, run.id)], "published once"

    with pytest.raises(InvalidStateError):
        await world.execution.prepare(CAMPAIGN, "kim")  # a live run: roll it back first
    voiding = await world.rollback.prepare_rollback(run.id, "wrong filter", "kim")
    assert (voiding["winners_voided"], voiding["waitlist_voided"]) == (SEATS, WAITLIST)
    rolled = await world.rollback.rollback(run.id, voiding["token"], "lee")
    assert (rolled.status, rolled.rollback_reason) == (RunStatus.ROLLED_BACK, "wrong filter")
    assert await world.draw_status() == DrawStatus.DRAWING_READY

    again_prepared = await world.execution.prepare(CAMPAIGN, "kim")
    assert again_prepared["previous_run_id"] == str(run.id)
    rerun = await world.execution.execute(CAMPAIGN, again_prepared["token"], "lee")
    assert rerun.id != run.id and rerun.previous_run_id == run.id, "a new run, linked to the old one"
    assert await world.ranked(rerun.id) == first, "the same set and seed rank the same entrants"
    assert (await world.execution.execute(CAMPAIGN, prepared["token"], "lee")).id == run.id, \
        "the first token still answers the first run"
    assert await world.published() == [(topics.DRAW_COMPLETED, run.id), (topics.DRAW_ROLLED_BACK, run.id),
                                        (topics.DRAW_COMPLETED, rerun.id)]
    target = f"draw:{CAMPAIGN}"
    assert (await world.audited())[setup:] == [
        ("kim", "draw.close_entries", target), ("kim", "draw.prepare", target), ("lee", "draw.execute", target),
        ("lee", "draw.rollback", target), ("kim", "draw.prepare", target), ("lee", "draw.execute", target)]


async def test_a_draw_run_and_its_rollback_in_memory() -> None:
    units, state = memory_units(FixedClock(NOW))
    state.open_draw(Draw(campaign_id=CAMPAIGN, seats=SEATS, waitlist_size=WAITLIST, draw_at=NOW,
                         requires_intro=True, requires_adgate=True, weight_cap=None, cooldown_hours=0, intro="",
                         status=DrawStatus.OPEN), ENTRANTS)
    await scenario(MemoryDraw(units, state))


@pytest.mark.integration
async def test_a_draw_run_and_its_rollback_on_postgresql(infrastructure: Infrastructure) -> None:
    async with SqlDraw.running(infrastructure) as world:
        await scenario(world)


class UseCases:
    def __init__(self, units: Units[DrawStores], seeds: SeedSource, rounds: BeaconRounds) -> None:
        self.closing = CloseEntries(units, seeds, TEST_CHAIN)
        self.execution = ExecuteDraw(units, seeds, results_per_part=100, beacon=rounds)
        self.rollback = RollbackRun(units)


class MemoryDraw(UseCases):
    def __init__(self, units: Units[DrawStores], state: LotteryState) -> None:
        super().__init__(units, SeedSource(SECRET), RecordedRounds(self._committed_round))
        self._state = state

    async def _committed_round(self, campaign_id: str) -> int | None:
        return self._state.draws[campaign_id].beacon_round

    async def draw_status(self) -> str:
        return self._state.draws[CAMPAIGN].status

    async def ranked(self, run_id: UUID) -> Ranked:
        return [(r.rank, r.kakao_user_id, r.outcome) for r in sorted(self._state.results[run_id], key=lambda r: r.rank)]

    async def published(self) -> Published:
        return [(topic, event.run_id) for topic, event in self._state.published
                if isinstance(event, DrawCompleted | DrawRolledBack)]

    async def audited(self) -> Audit:
        return [(record.actor, record.action, record.target) for record in self._state.audited]


class SqlDraw(UseCases):
    """The use cases on their own PostgreSQL database (no service runs on it, so nothing leaves its outbox)."""

    def __init__(self, units: Units[DrawStores], database: str, rounds: BeaconRounds) -> None:
        super().__init__(units, SeedSource(SECRET), rounds)
        self._database = database

    @classmethod
    @asynccontextmanager
    async def running(cls, infrastructure: Infrastructure) -> AsyncIterator["SqlDraw"]:
        clock = FixedClock(NOW)
        async with fresh_database(infrastructure, MIGRATIONS, like="lottery") as database:
            engine = create_engine(database)
            try:
                sessions = session_factory(engine)
                await CreateDraw(sessions, clock).create_draw(
                    campaign_id=CAMPAIGN, seats=SEATS, waitlist_size=WAITLIST, draw_at=NOW, requires_intro=True,
                    requires_adgate=True, weight_cap=None, cooldown_hours=0, actor="ops")
                await ImportEntries(sessions, clock).add_entries(CAMPAIGN, ENTRANTS, "ops")
                yield cls(sql_units(sessions, clock), database, sql_rounds(sessions))
            finally:
                await engine.dispose()

    async def draw_status(self) -> str:
        [draw] = await fetch(self._database, "SELECT status FROM draws WHERE campaign_id = $1", CAMPAIGN)
        return str(draw["status"])

    async def ranked(self, run_id: UUID) -> Ranked:
        rows = await fetch(self._database, "SELECT rank, kakao_user_id, outcome FROM draw_results WHERE run_id = $1"
                                           " ORDER BY rank", run_id)
        return [(r["rank"], r["kakao_user_id"], r["outcome"]) for r in rows]

    async def published(self) -> Published:
        rows = await fetch(self._database, "SELECT topic, payload FROM outbox_messages WHERE topic = ANY($1)"
                                           " ORDER BY id", [topics.DRAW_COMPLETED, topics.DRAW_ROLLED_BACK])
        return [(r["topic"], UUID(json.loads(r["payload"])["run_id"])) for r in rows]

    async def audited(self) -> Audit:
        return [(r["actor"], r["action"], r["target"])
                for r in await fetch(self._database, "SELECT actor, action, target FROM audit_log ORDER BY id")]
