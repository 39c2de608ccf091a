"""Lottery data migrations on a database that holds data (issue 13): draws frozen under revision 0006 keep
their decisions when 0007 packs them into one row per draw and drops the per-entry column, 0009 records
that they were frozen under LOTTERY2 (so they draw and verify under it), while an open draw will take the
algorithm current at its close, and 0013 makes each a whole immutable set (user ids and weights from the
entries, draw ids left to be derived) that the draw refers to."""

import asyncio

import numpy as np
import pytest

from lottery_service.main import MIGRATIONS
from platform_deploy.infra import Infrastructure
from platform_shared.db.migrations import upgrade_to_head
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
