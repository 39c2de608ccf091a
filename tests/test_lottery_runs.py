"""The lottery's operations against the real service, broker and database (issue: lottery)."""

import asyncio
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from platform_deploy.infra import Infrastructure
from platform_deploy.paths import REPO_ROOT
from platform_deploy.scenario import admin_client, admin_http, prepare_and_execute
from platform_deploy.services import Fleet
from platform_shared.client.platform import ServiceClient
from platform_shared.contracts import topics
from tests.support import fetch, ok, prepare_closed_draw, unique_campaign

pytestmark = pytest.mark.integration


def test_two_concurrent_executes_of_one_token_make_one_run(fleet: Fleet, lottery: httpx.Client,
                                                           infrastructure: Infrastructure) -> None:
    campaign = unique_campaign("twice")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=200, seats=10, waitlist_size=20)
    token = ok(lottery.post(f"/draws/{campaign}/runs/prepare"))["token"]

    def execute() -> dict[str, Any]:
        with admin_client(fleet["lottery"].base_url) as client:
            run: dict[str, Any] = ok(client.post(f"/draws/{campaign}/runs/execute", json={"token": token}))
            return run

    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: execute(), range(4)))

    assert len({run["id"] for run in runs}) == 1, "every caller got the same run, none an error"
    # (draw_runs cannot hold a second live run: a unique index. What a second draw would leave behind
    # is a second draw_completed, written by the same transaction as its run.)
    events = asyncio.run(fetch(infrastructure.database_urls["lottery"],
                               "SELECT count(*) AS n FROM outbox_messages WHERE topic = 'draw_completed' "
                               "AND payload LIKE $1", f"%{runs[0]['id']}%"))
    assert events[0]["n"] == 1, "one draw_completed (30 results fit one part)"


def test_export_reveal_and_the_standalone_script_verify_a_run(fleet: Fleet, lottery: httpx.Client,
                                                              tmp_path: Path) -> None:
    campaign = unique_campaign("verify")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=500, seats=15, waitlist_size=30)
    prepared, run = prepare_and_execute(lottery, campaign)

    verification = ok(lottery.get(f"/runs/{run['id']}/verify"))
    assert verification == {"count_ok": True, "expected_count": 45, "stored_count": 45, "entry_set_ok": True,
                            "replay_matches": True, "first_difference": None}
    reveal = ok(lottery.get(f"/runs/{run['id']}/reveal"))
    assert reveal["seed"] == prepared["seed_display"]
    assert hashlib.sha256(bytes.fromhex(reveal["seed"])).hexdigest() == reveal["committed"]["seed_hash"]
    assert reveal["commitment"] == hashlib.sha256(json.dumps(
        reveal["committed"], sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
    assert reveal["commitment"] == ok(lottery.get(f"/draws/{campaign}"))["commitment"], "committed at close"
    assert reveal["beacon"]["round"] == reveal["committed"]["beacon"]["round"], "drawn on the committed round"
    assert fleet.draw_server_secret not in json.dumps(reveal)
    audit_log = ServiceClient(admin_http(fleet["lottery"].base_url)).audit_records()
    assert fleet.draw_server_secret not in json.dumps([record.model_dump(mode="json") for record in audit_log])
    assert fleet.draw_server_secret not in fleet["lottery"].log_path.read_text()

    export = lottery.get(f"/runs/{run['id']}/export.csv")
    assert export.headers["content-type"].startswith("text/csv")
    (tmp_path / "run.csv").write_text(export.text)
    (tmp_path / "reveal.json").write_text(json.dumps(reveal))
    script = subprocess.run([sys.executable, str(REPO_ROOT / "tools" / "verify_draw.py"), str(tmp_path / "run.csv"),
                             str(tmp_path / "reveal.json")], capture_output=True, text=True, timeout=60)
    assert script.returncode == 0, script.stdout
    assert "VERIFIED: 500 entrants, 15 winners, 30 on the waitlist" in script.stdout

    # The public bundle: no login, no Kakao user id, and the same script checks it end to end.
    bundle = httpx.get(f"{fleet['lottery'].base_url}/runs/{run['id']}/bundle.json", timeout=30)
    assert bundle.status_code == 200 and "1000007" not in bundle.text
    (tmp_path / "bundle.json").write_text(bundle.text)
    mine = ok(httpx.get(f"{fleet['lottery'].base_url}/campaigns/{campaign}/entry", timeout=30,
                        headers={"Authorization": f"Bearer {fleet.entrant_token(1000007)}"}))["pseudonym"]
    assert len(mine) == 16, "LOTTERY3: the entrant is told their draw id, nobody else can compute it"
    script = subprocess.run([sys.executable, str(REPO_ROOT / "tools" / "verify_draw.py"),
                             str(tmp_path / "bundle.json"), "--me", mine], capture_output=True, text=True,
                            timeout=60)
    assert script.returncode == 0, script.stdout
    assert "VERIFIED: 500 entries, 500 eligible, 15 winners, 30 on the waitlist; 1 run(s), 0 reopening(s)" \
        in script.stdout
    assert '"decision": "eligible"' in script.stdout.split("your line:")[1]


async def test_rollback_voids_the_run_publishes_it_and_a_rerun_is_a_new_linked_run(
    fleet: Fleet, infrastructure: Infrastructure
) -> None:
    campaign = unique_campaign("rollback")
    base = fleet["lottery"].base_url
    await asyncio.to_thread(prepare_closed_draw, base, campaign, entrants=100, seats=5, waitlist_size=5)
    async with httpx.AsyncClient(base_url=base, auth=fleet.operator(), timeout=60) as lottery:
        token = ok(await lottery.post(f"/draws/{campaign}/runs/prepare"))["token"]
        first = ok(await lottery.post(f"/draws/{campaign}/runs/execute", json={"token": token}))
        rollback = ok(await lottery.post(f"/runs/{first['id']}/rollback/prepare",
                                         json={"reason": "seat count was entered as 5, should be 8"}))
        assert (rollback["winners_voided"], rollback["waitlist_voided"]) == (5, 5)
        rolled = ok(await lottery.post(f"/runs/{first['id']}/rollback/confirm", json={"token": rollback["token"]}))
        assert rolled["status"] == "rolled_back"
        assert ok(await lottery.get(f"/draws/{campaign}"))["status"] == "drawing_ready"

        token = ok(await lottery.post(f"/draws/{campaign}/runs/prepare"))["token"]
        second = ok(await lottery.post(f"/draws/{campaign}/runs/execute", json={"token": token}))
        old = ok(await lottery.get(f"/runs/{first['id']}"))
        log = ok(await lottery.get(f"/runs/{second['id']}/bundle.json"))["log"]["entries"]
    linked = [(e["kind"], e["record"].get("run_id"), e["record"].get("previous_run_id"))
              for e in log if e["campaign_id"] == campaign]
    assert linked == [("closed", None, None), ("run", first["id"], None), ("rolled_back", first["id"], None),
                      ("run", second["id"], first["id"])], "every attempt, in order, in the public log"

    assert second["id"] != first["id"] and second["previous_run_id"] == first["id"]
    assert old["results_void"] is True and old["rollback_reason"].startswith("seat count")
    # Same committed seed and the same entries: the re-run ranks everyone exactly as before.
    assert second["commitment"] == first["commitment"]
    rolled_back_events = await read_topic(infrastructure, topics.DRAW_ROLLED_BACK,
                                          lambda event: event["run_id"] == first["id"])
    assert rolled_back_events[0]["reason"].startswith("seat count")
    await read_topic(infrastructure, topics.DRAW_COMPLETED, lambda event: event["run_id"] == second["id"])


def test_bad_input_gets_a_clear_error_naming_the_field_and_writes_nothing(lottery: httpx.Client) -> None:
    campaign = unique_campaign("bad")
    too_few = lottery.post("/draws", json={"campaign_id": campaign, "seats": 0, "waitlist_size": 0,
                                           "draw_at": "2026-12-01T20:00:00+09:00"})
    assert too_few.status_code == 422 and too_few.json()["detail"][0]["loc"][-1] == "seats"
    naive = lottery.post("/draws", json={"campaign_id": campaign, "seats": 1, "waitlist_size": 0,
                                         "draw_at": "2026-12-01T20:00:00"})
    assert naive.status_code == 422 and naive.json()["detail"][0]["loc"][-1] == "draw_at"
    assert lottery.get(f"/draws/{campaign}").status_code == 404, "nothing was written"
    unknown_token = lottery.post(f"/draws/{campaign}/runs/execute", json={"token": "not-a-real-token"})
    assert unknown_token.status_code == 404 and unknown_token.json()["field"] == "token"


def test_admin_actions_need_an_authenticated_account_with_the_right_role(fleet: Fleet) -> None:
    body = {"campaign_id": unique_campaign("auth"), "seats": 1, "waitlist_size": 0,
            "draw_at": "2026-12-01T20:00:00+09:00"}
    assert httpx.post(f"{fleet['lottery'].base_url}/draws", json=body).status_code == 401
    analyst = admin_client(fleet["lottery"].base_url, fleet.operator("analyst"))
    assert analyst.post("/draws", json=body).status_code == 403


def test_dry_run_counts_filters_and_pass_rates_and_stores_only_an_audit_snapshot(
    fleet: Fleet, lottery: httpx.Client, infrastructure: Infrastructure
) -> None:
    campaign = unique_campaign("dry")
    ok(lottery.post("/draws", json={"campaign_id": campaign, "seats": 3, "waitlist_size": 2, "requires_intro": True,
                                    "draw_at": "2026-12-01T20:00:00+09:00"}))
    users = [{"kakao_user_id": 7_000_000 + n, "weight": 1 + n % 4, "intro_seen": n % 5 != 0} for n in range(40)]
    ok(lottery.post(f"/draws/{campaign}/entries", json={"entries": users}))
    ok(lottery.post(f"/draws/{campaign}/entries/legacy-import",
                    json={"entries": [{"kakao_user_id": 7_000_001, "weight": 9, "intro_seen": True}]}))
    corrected = ok(lottery.post(f"/draws/{campaign}/entries/correct-duplicates", json={"reason": "legacy import"}))
    assert corrected == {"invalidated": 1, "valid_entries_before": 41, "valid_entries_after": 40,
                         "distinct_users": 40}
    ok(lottery.put(f"/draws/{campaign}/entries/7000002/suspicious", json={"suspicious": True, "reason": "bot"}))
    ok(lottery.put("/blacklist/7000003", json={"reason": "chargeback fraud"}))
    assert lottery.post(f"/draws/{campaign}/dry-run").status_code == 409, "no seed display while entries are open"
    ok(lottery.post(f"/draws/{campaign}/close"))

    report = ok(lottery.post(f"/draws/{campaign}/dry-run"))

    assert report["excluded"] == {"invalid_duplicates": 1, "blacklisted": 1, "suspicious": 1,
                                  "unmet_preconditions": 8}
    assert report["total_entries"] == 41 and report["eligible"] == 41 - 11
    assert report["pass_rates"]["intro_first"] == pytest.approx(32 / 40)
    assert report["sample_is_final"] is False and len(report["sample"]) == 5
    assert sum(report["histogram"]["counts"]) == report["eligible"]
    assert lottery.get(f"/draws/{campaign}/weights.svg").text.startswith("<svg")
    runs = asyncio.run(fetch(infrastructure.database_urls["lottery"],
                             "SELECT id FROM draw_runs WHERE campaign_id = $1", campaign))
    assert runs == []
    audit = ok(lottery.get("/audit", params={"target": f"draw:{campaign}", "action": "draw.dry_run"}))
    assert len(audit) == 1 and audit[0]["details"]["params"]["eligible"] == report["eligible"]
    assert report["seed_display"] not in json.dumps(audit), "the audit never holds the seed"
    ok(lottery.request("DELETE", "/blacklist/7000003", json={"reason": "cleared by partner ops"}))


def test_the_audit_chain_is_intact_and_append_only(lottery: httpx.Client, infrastructure: Infrastructure) -> None:
    assert ok(lottery.get("/audit/verify"))["intact"] is True
    with pytest.raises(Exception, match="append-only"):
        asyncio.run(fetch(infrastructure.database_urls["lottery"], "UPDATE audit_log SET actor = 'someone else'"))
    with pytest.raises(Exception, match="append-only"):
        asyncio.run(fetch(infrastructure.database_urls["lottery"], "DELETE FROM audit_log"))


async def read_topic(infrastructure: Infrastructure, topic: str, matches: Callable[[dict[str, Any]], bool],
                     timeout: float = 30) -> list[dict[str, Any]]:
    consumer = AIOKafkaConsumer(topic, **infrastructure.kafka.client_kwargs(),
                                group_id=f"test-{uuid4()}", auto_offset_reset="earliest")
    await consumer.start()
    try:
        async def first_match() -> list[dict[str, Any]]:
            async for record in consumer:
                try:
                    event = json.loads(record.value)
                except (TypeError, ValueError):
                    continue  # the dead-letter tests put malformed records and a tombstone on these topics
                if matches(event):
                    return [event]
            return []

        return await asyncio.wait_for(first_match(), timeout)
    finally:
        await consumer.stop()




def test_replay_reports_the_first_stored_result_that_differs(fleet: Fleet, lottery: httpx.Client,
                                                             infrastructure: Infrastructure) -> None:
    campaign = unique_campaign("tamper")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=60, seats=3, waitlist_size=3)
    _, run = prepare_and_execute(lottery, campaign)
    asyncio.run(fetch(infrastructure.database_urls["lottery"],
                      "UPDATE draw_results SET kakao_user_id = 42 WHERE run_id = $1 AND rank = 2", UUID(run["id"])))

    verification = ok(lottery.get(f"/runs/{run['id']}/verify"))

    assert verification["count_ok"] is True and verification["replay_matches"] is False
    assert verification["first_difference"]["rank"] == 2 and verification["first_difference"]["stored"] == 42


def test_a_token_prepared_before_a_rollback_cannot_execute_after_it(fleet: Fleet, lottery: httpx.Client) -> None:
    campaign = unique_campaign("stale")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=30, seats=3)
    stale = ok(lottery.post(f"/draws/{campaign}/runs/prepare"))["token"]
    _, run = prepare_and_execute(lottery, campaign)
    rollback = ok(lottery.post(f"/runs/{run['id']}/rollback/prepare", json={"reason": "wrong filter"}))
    ok(lottery.post(f"/runs/{run['id']}/rollback/confirm", json={"token": rollback["token"]}))

    refused = lottery.post(f"/draws/{campaign}/runs/execute", json={"token": stale})

    assert refused.status_code == 409 and "another run" in refused.json()["message"]
