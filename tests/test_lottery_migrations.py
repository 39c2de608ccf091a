"""Lottery data migrations on a database that holds data (issue 13): draws frozen under revision 0006 keep
their decisions when 0007 packs them into one row per draw and drops the per-entry column, 0009 records
that they were frozen under LOTTERY2 (so they draw and verify under it), while an open draw will take the
algorithm current at its close, and 0013 makes each a whole immutable set (user ids and weights from the
entries, draw ids left to be derived) that the draw refers to."""

import asyncio

import numpy as np
import pytest

from lottery_service.application.close_entries import CloseEntries
from lottery_service.application.create_draw import CreateDraw
from lottery_service.application.execute_draw import ExecuteDraw
from lottery_service.application.seeds import SeedSource
from lottery_service.application.units import sql_units
from lottery_service.application.verify_run import VerifyRun
from lottery_service.domain import draw_engine
from lottery_service.main import MIGRATIONS
from platform_deploy.infra import Infrastructure
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.service.migrations import downgrade_to, upgrade_to_head
from platform_shared.time.clock import SystemClock
from tests.beacon_support import TEST_CHAIN, sql_rounds
from tests.support import fetch, fresh_database

pytestmark = pytest.mark.integration


async def test_decisions_frozen_before_0007_survive_it_as_a_packed_row(infrastructure: Infrastructure) -> None:
    async with fresh_database(infrastructure, MIGRATIONS, like="lottery", revision="0006") as url:
        await fetch(url, "INSERT INTO draws (campaign_id, seats, waitlist_size, draw_at, requires_intro, "
                         "requires_adgate, status, frozen_set_hash) "
                         "VALUES ('old', 1, 0, now(), false, false, 'closed', repeat('a', 64))")
        await fetch(url, "INSERT INTO draws (campaign_id, seats, waitlist_size, draw_at, requires_intro, "
                         "requires_adgate, status) VALUES ('open', 1, 0, now(), false, false, 'open')")
        for user, decision in ((11, "eligible"), (12, "suspicious"), (13, "eligible_exempt"), (14, None)):
            await fetch(url, "INSERT INTO entries (campaign_id, kakao_user_id, raw_weight, weight, policy_version, "
                             "intro_seen, adgate_verified, suspicious, source, frozen_decision) "
                             "VALUES ('old', $1, 1, $2, 1, true, true, false, 'api', $3)", user, user / 10, decision)
        ids = [r["id"] for r in await fetch(url, "SELECT id FROM entries ORDER BY id")]

        await asyncio.to_thread(upgrade_to_head, MIGRATIONS, url)

        [packed] = await fetch(url, "SELECT s.* FROM frozen_entry_sets s JOIN draws d ON d.frozen_set_id = s.id "
                                    "WHERE d.campaign_id = 'old'")
        assert np.frombuffer(packed["entry_ids"], dtype="<i8").tolist() == ids[:3], "the undecided one is left out"
        assert np.frombuffer(packed["decisions"], dtype=np.int8).tolist() == [0, 4, 1]
        assert np.frombuffer(packed["user_ids"], dtype="<u8").tolist() == [11, 12, 13]
        assert np.frombuffer(packed["weights"], dtype="<f8").tolist() == [1.1, 1.2, 1.3]
        assert packed["draw_ids"] is None and packed["set_hash"] == "a" * 64 and packed["algorithm"] == "LOTTERY2"
        columns = await fetch(url, "SELECT column_name FROM information_schema.columns "
                                   "WHERE table_name = 'entries' AND column_name = 'frozen_decision'")
        assert columns == []
        algorithms = await fetch(url, "SELECT campaign_id, algorithm FROM draws ORDER BY campaign_id")
        assert [(r["campaign_id"], r["algorithm"]) for r in algorithms] == [("old", "LOTTERY2"), ("open", None)]


async def test_0013_down_and_up_keeps_every_frozen_set_and_every_run_verifiable(
        infrastructure: Infrastructure, monkeypatch: pytest.MonkeyPatch) -> None:
    """A set written in user id order goes back to 0009's entry id order, and a run that referred to it gets
    0009's own copy of its inputs; upgrading again rebuilds the set the draw refers to. Drawn under LOTTERY3,
    the algorithm of 0009's days (a LOTTERY4 run's beacon round has no column before 0017)."""
    monkeypatch.setattr(draw_engine, "CURRENT", draw_engine.LOTTERY3)
    async with fresh_database(infrastructure, MIGRATIONS, like="lottery") as url:
        engine = create_engine(url)
        sessions, seeds, clock = session_factory(engine), SeedSource("migration-test-secret"), SystemClock()
        try:
            units = sql_units(sessions, clock)
            creation, closing = CreateDraw(sessions, clock), CloseEntries(units, seeds, TEST_CHAIN)
            execution = ExecuteDraw(units, seeds, 100, sql_rounds(sessions))
            await creation.create_draw(campaign_id="down", seats=2, waitlist_size=1, draw_at=clock.now(),
                                    requires_intro=False, requires_adgate=False, weight_cap=None,
                                    cooldown_hours=0, actor="test")
            users = [50, 10, 40, 20, 30]  # entry ids ascend while user ids do not
            for user in users:
                await fetch(url, "INSERT INTO entries (campaign_id, kakao_user_id, raw_weight, weight, policy_version, "
                                 "intro_seen, adgate_verified, suspicious, source) "
                                 "VALUES ('down', $1, 1, $2, 1, true, true, $3, 'api')", user, user / 10, user == 40)
            await closing.close_entries("down", "test")
            prepared = await execution.prepare("down", "test")
            run = await execution.execute("down", prepared["token"], "test")
            before = await VerifyRun(sessions, seeds).verify(run.id)
        finally:
            await engine.dispose()
        ids = [r["id"] for r in await fetch(url, "SELECT id FROM entries ORDER BY id")]
        [published] = await fetch(url, "SELECT frozen_set_hash FROM draws WHERE campaign_id = 'down'")

        await asyncio.to_thread(downgrade_to, MIGRATIONS, url, "0009")

        [packed] = await fetch(url, "SELECT entry_ids, decisions FROM draw_frozen_sets WHERE campaign_id = 'down'")
        assert np.frombuffer(packed["entry_ids"], dtype="<i8").tolist() == ids, "entry id order, as 0009 reads it"
        assert np.frombuffer(packed["decisions"], dtype=np.int8).tolist() == [0, 0, 4, 0, 0], "user 40: suspicious"
        [copy] = await fetch(url, "SELECT user_ids, frozen_user_ids, frozen_set_hash FROM draw_run_snapshots "
                                  "WHERE run_id = $1", run.id)
        assert sorted(np.frombuffer(copy["user_ids"], dtype="<u8").tolist()) == [10, 20, 30, 50], "the drawn ones"
        assert sorted(np.frombuffer(copy["frozen_user_ids"], dtype="<u8").tolist()) == sorted(users)
        assert copy["frozen_set_hash"] == published["frozen_set_hash"]

        await asyncio.to_thread(upgrade_to_head, MIGRATIONS, url)
        engine = create_engine(url)
        try:
            after = await VerifyRun(session_factory(engine), seeds).verify(run.id)
        finally:
            await engine.dispose()
        assert before.replay_matches and before.entry_set_ok
        assert after.replay_matches and after.entry_set_ok, "verified from 0009's copy after the round trip"
