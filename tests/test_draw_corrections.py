"""Eligibility frozen at close and the corrections that cannot steer (issue 13, seed §3.5), against the real
service, broker and database: after close nothing changes the frozen set, and what is written behind the
service's back never reaches the draw; duplicates are corrected before the close. (Reopens and seat corrections
after the close, and what they commit to: tests/test_draw_commitments.py.)"""

import asyncio

import httpx
import pytest

from platform_deploy.infra import Infrastructure
from platform_deploy.scenario import prepare_and_execute
from platform_deploy.services import Fleet
from tests.support import fetch, ok, prepare_closed_draw, unique_campaign

pytestmark = pytest.mark.integration


def test_what_changes_behind_the_services_back_after_close_never_reaches_the_draw(
        fleet: Fleet, lottery: httpx.Client, infrastructure: Infrastructure) -> None:
    campaign = unique_campaign("late")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=50, seats=5)
    token = ok(lottery.post(f"/draws/{campaign}/runs/prepare"))["token"]
    database = infrastructure.database_urls["lottery"]
    # Written behind the service's back after the close (its own intake cannot: the close takes the draw's
    # row lock, every entry a key-share lock on it, and every correction checks the status): a newcomer and
    # a weight that would each all but win a seat, and a flag that would exclude an entrant.
    asyncio.run(fetch(database, "INSERT INTO entries (campaign_id, kakao_user_id, raw_weight, weight, policy_version, "
                                "intro_seen, adgate_verified, suspicious, source) "
                                "VALUES ($1, 999, 1e6, 1e6, 1, true, true, false, 'api')", campaign))
    asyncio.run(fetch(database, "UPDATE entries SET weight = 1e6 WHERE campaign_id = $1 AND kakao_user_id = 1000007",
                      campaign))
    asyncio.run(fetch(database, "UPDATE entries SET suspicious = true WHERE campaign_id = $1", campaign))

    dry = ok(lottery.post(f"/draws/{campaign}/dry-run"))
    assert (dry["total_entries"], dry["eligible"], sum(dry["excluded"].values())) == (50, 50, 0), "the frozen 50"
    run = ok(lottery.post(f"/draws/{campaign}/runs/execute", json={"token": token}))

    assert run["eligible_count"] == 50, "drawn from the set frozen at close, one row the entries table cannot reach"
    results = ok(lottery.get(f"/runs/{run['id']}"))["results"]
    assert 999 not in [r["kakao_user_id"] for r in results]
    assert {r["weight"] for r in results if r["kakao_user_id"] == 1000007} <= {3.0}, "its frozen weight, 1 + 7 % 5"
    verified = ok(lottery.get(f"/runs/{run['id']}/verify"))
    assert verified["replay_matches"] and verified["entry_set_ok"]


def test_after_close_no_flag_correction_or_recalculation_changes_the_frozen_set(
        fleet: Fleet, lottery: httpx.Client, infrastructure: Infrastructure) -> None:
    campaign = unique_campaign("frozen")
    ok(lottery.post("/draws", json={"campaign_id": campaign, "seats": 2, "waitlist_size": 1,
                                    "draw_at": "2026-12-01T20:00:00+09:00"}))
    ok(lottery.post(f"/draws/{campaign}/entries",
                    json={"entries": [{"kakao_user_id": 8_100_000 + n, "weight": 1 + n % 3} for n in range(20)]}))
    recalculation = ok(lottery.post(f"/draws/{campaign}/weights/recalculate/prepare",
                                    json={"reason": "cap bug in intake"}))
    closed = ok(lottery.post(f"/draws/{campaign}/close"))
    assert closed["frozen_set_hash"] and closed["commitment"], "published together at close"
    entries_sql = ("SELECT kakao_user_id, weight, suspicious, invalid_reason FROM entries "
                   "WHERE campaign_id = $1 ORDER BY id")
    before = asyncio.run(fetch(infrastructure.database_urls["lottery"], entries_sql, campaign))
    frozen = asyncio.run(fetch(infrastructure.database_urls["lottery"],
                               "SELECT s.decisions FROM frozen_entry_sets s JOIN draws d ON d.frozen_set_id = s.id "
                               "WHERE d.campaign_id = $1", campaign))
    assert frozen[0]["decisions"] == bytes(20), "twenty entries, each frozen as eligible (code 0)"

    attempts = {
        "a suspicious flag": lottery.put(f"/draws/{campaign}/entries/8100003/suspicious",
                                         json={"suspicious": True, "reason": "same device"}),
        "a duplicate correction": lottery.post(f"/draws/{campaign}/entries/correct-duplicates",
                                               json={"reason": "legacy"}),
        "a weight recalculation": lottery.post(f"/draws/{campaign}/weights/recalculate/prepare",
                                               json={"reason": "again"}),
    }
    confirm = lottery.post(f"/draws/{campaign}/weights/recalculate/confirm", json={"token": recalculation["token"]})
    for change, answer in [*attempts.items(), ("a weight recalculation", confirm)]:
        assert answer.status_code == 409, (change, answer.text)
        assert f"frozen when entries closed: {change} is refused" in answer.json()["message"]
    # The blacklist is global and stays open; a closed campaign keeps the decision frozen at its close.
    ok(lottery.put("/blacklist/8100004", json={"reason": "chargeback fraud"}))
    try:
        assert asyncio.run(fetch(infrastructure.database_urls["lottery"], entries_sql, campaign)) == before
        prepared, run = prepare_and_execute(lottery, campaign)
        assert prepared["eligible"] == 20 and run["eligible_count"] == 20
        assert ok(lottery.get(f"/draws/{campaign}"))["frozen_set_hash"] == closed["frozen_set_hash"]
    finally:
        ok(lottery.request("DELETE", "/blacklist/8100004", json={"reason": "test over"}))


def test_uncorrected_legacy_duplicates_stop_the_close_until_corrected(fleet: Fleet, lottery: httpx.Client) -> None:
    campaign = unique_campaign("legacy")
    ok(lottery.post("/draws", json={"campaign_id": campaign, "seats": 2, "waitlist_size": 0,
                                    "draw_at": "2026-12-01T20:00:00+09:00"}))
    twice = [{"kakao_user_id": 5_000_001, "weight": 1}, {"kakao_user_id": 5_000_001, "weight": 3},
             {"kakao_user_id": 5_000_002, "weight": 1}]
    ok(lottery.post(f"/draws/{campaign}/entries/legacy-import", json={"entries": twice}))

    refused = lottery.post(f"/draws/{campaign}/close")
    assert refused.status_code == 409 and "correct-duplicates" in refused.json()["message"]
    assert ok(lottery.get(f"/draws/{campaign}"))["status"] == "open"

    ok(lottery.post(f"/draws/{campaign}/entries/correct-duplicates", json={"reason": "legacy import"}))
    ok(lottery.post(f"/draws/{campaign}/close"))
    prepared, _ = prepare_and_execute(lottery, campaign)
    assert prepared["eligible"] == 2
