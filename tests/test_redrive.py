"""Dead-letter redrive, first-class (issue 14): a poison event → dead letter → the fix → a redrive of a time
range at a rate → applied once; one redriven while still poisoned comes back with its count raised and is
not sent again past the maximum; a slow redrive is cancelled midway, keeping what it sent."""

import asyncio
import contextlib
import json
from typing import Any
from uuid import uuid4

import httpx
import pytest

from platform_deploy.infra import Infrastructure
from platform_deploy.services import Fleet
from platform_shared.contracts import topics
from tests.support import eventually, execute_draw, fetch, ok, prepare_closed_draw, producer, unique_campaign

pytestmark = pytest.mark.integration

SEATS = 2


async def poison(infrastructure: Infrastructure, *campaigns: str) -> None:
    """The waitlist's database refuses offers for these campaigns (a bug to fix, as seen by the consumer:
    not an outage, so it is retried, then dead-lettered). No campaigns: fixed."""
    refused = ", ".join(f"'{c}'" for c in campaigns) or "NULL"
    await fetch(infrastructure.database_urls["waitlist"], f"""
        CREATE OR REPLACE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.campaign_id IN ({refused}) THEN RAISE EXCEPTION 'poisoned campaign %', NEW.campaign_id; END IF;
          RETURN NEW;
        END $$""")
    await fetch(infrastructure.database_urls["waitlist"], """
        CREATE OR REPLACE TRIGGER test_poison BEFORE INSERT ON offers FOR EACH ROW EXECUTE FUNCTION test_poison()""")


async def letters_about(ops: httpx.AsyncClient, marker: str) -> list[dict[str, Any]]:
    letters: list[dict[str, Any]] = ok(await ops.get("/dead-letters", params={"topic": topics.DRAW_COMPLETED,
                                                                              "group": "waitlist", "limit": 1000}))
    return sorted((letter for letter in letters if marker in letter["payload"]), key=lambda letter: letter["id"])


async def offers(infrastructure: Infrastructure, run_id: str) -> int:
    [row] = await fetch(infrastructure.database_urls["waitlist"],
                        "SELECT count(*) AS n FROM offers WHERE run_id::text = $1 AND source = 'draw'", run_id)
    return int(row["n"])


async def progress(ops: httpx.AsyncClient, redrive: dict[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = ok(await ops.get(f"/dead-letters/redrives/{redrive['id']}"))
    return shown


async def finished(ops: httpx.AsyncClient, redrive: dict[str, Any]) -> dict[str, Any]:
    return await eventually(lambda: progress(ops, redrive), lambda r: r["status"] != "running",
                            what="the redrive finished")


def log_lines(fleet: Fleet) -> list[dict[str, Any]]:
    """The waitlist's log: JSON lines (its stderr is a file, not a terminal)."""
    lines = []
    for text in fleet["waitlist"].log_path.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            lines.append(json.loads(text))
    return [line for line in lines if isinstance(line, dict)]


def draw(fleet: Fleet, campaign: str) -> str:
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=8, seats=SEATS)
    return execute_draw(fleet["lottery"].base_url, campaign)


async def test_poison_then_fix_then_a_time_range_redrive_applies_it_once_and_a_repeat_failure_stops(
        fleet: Fleet, infrastructure: Infrastructure) -> None:
    fixed, broken = unique_campaign("redrive-fixed"), unique_campaign("redrive-broken")
    ops = httpx.AsyncClient(base_url=fleet["waitlist"].base_url, auth=fleet.operator(), timeout=30)
    try:
        await poison(infrastructure, fixed, broken)
        run_fixed, run_broken = [await asyncio.to_thread(draw, fleet, c) for c in (fixed, broken)]
        [first_fixed] = await eventually(lambda: letters_about(ops, run_fixed), lambda ls: len(ls) == 1,
                                         what="the poisoned event dead-lettered")
        [first_broken] = await eventually(lambda: letters_about(ops, run_broken), lambda ls: len(ls) == 1,
                                          what="the other one too")
        assert (first_fixed["attempts"], first_fixed["dead_letter_count"]) == (3, 1)
        [gave_up] = [line for line in log_lines(fleet) if line.get("run_id") == run_fixed
                     and str(line.get("message", "")).startswith("giving up on")]
        assert (gave_up["service"], gave_up["level"], gave_up["consumer_group"]) == ("waitlist", "error", "waitlist")
        assert gave_up["event_id"] in first_fixed["payload"], "the JSON log line names the event it gave up on"
        assert first_fixed["exception_message"].count("poisoned campaign") == 1
        assert await offers(infrastructure, run_fixed) == 0

        await poison(infrastructure, broken)  # the fix, for one of the two
        since = min(first_fixed["failed_at"], first_broken["failed_at"])  # a time range: from the first failure on
        started = ok(await ops.post("/dead-letters/redrives", json={
            "topic": topics.DRAW_COMPLETED, "group": "waitlist", "since": since, "rate_per_second": 4,
            "reason": "offers trigger fixed"}))
        assert started["status"] == "running" and started["total"] == 2
        [told] = [line for line in log_lines(fleet) if f"redrive {started['id']} started" in str(line.get("message"))]
        assert told["account"] == "admin" and told["request_id"], "a request's lines name the request and caller"
        done = await finished(ops, started)
        assert done["status"] == "done" and done["sent"] == done["total"]

        assert await eventually(lambda: offers(infrastructure, run_fixed), lambda n: n == SEATS,
                                what="the fixed one applied") == SEATS
        after = await eventually(lambda: letters_about(ops, run_broken), lambda ls: len(ls) == 2,
                                 what="the still-broken one back on the dead-letter topic")
        assert after[0]["replayed_at"] is not None and after[0]["redrive_id"] == started["id"]
        assert after[1]["dead_letter_count"] == 2 and after[1]["replayed_at"] is None
        told_true = await progress(ops, started)
        assert (told_true["sent"], told_true["failed_again"], told_true["redriven"]) == (2, 1, 1), \
            "the still-broken one is reported failed again, not redriven"
        [failure] = told_true["failed_again_letters"]
        assert (failure["letter_id"], failure["new_letter_id"]) == (after[0]["id"], after[1]["id"])
        assert failure["dead_letter_count"] == 2 and "poisoned campaign" in failure["exception_message"]
        assert [letter["id"] for letter in await letters_about(ops, run_fixed)] == [first_fixed["id"]], \
            "applied once: the fixed one never came back"
        await asyncio.sleep(2)
        assert len(await letters_about(ops, run_broken)) == 2, "no loop: nothing sends it again by itself"

        # Under the maximum (2) it may go once more; dead-lettered a third time, it is refused.
        again = ok(await ops.post("/dead-letters/redrives", json={"ids": [after[1]["id"]], "reason": "retry once"}))
        await finished(ops, again)
        third = await eventually(lambda: letters_about(ops, run_broken), lambda ls: len(ls) == 3,
                                 what="dead-lettered a third time")
        assert third[2]["dead_letter_count"] == 3
        retried = await progress(ops, again)
        assert (retried["sent"], retried["redriven"]) == (1, 0)
        assert [f["new_letter_id"] for f in retried["failed_again_letters"]] == [third[2]["id"]]
        refused = await ops.post("/dead-letters/redrives", json={"ids": [third[2]["id"]], "reason": "and again"})
        assert refused.status_code == 409 and "maximum of 2 redrives" in refused.json()["message"]
        assert await offers(infrastructure, run_broken) == 0
    finally:
        await poison(infrastructure)
        await ops.aclose()


async def test_a_slow_redrive_is_cancelled_midway_and_keeps_what_it_sent(
        fleet: Fleet, infrastructure: Infrastructure) -> None:
    marker = uuid4().hex
    async with producer(infrastructure) as send:
        for n in range(3):
            await send(topics.DRAW_COMPLETED, f'{{"broken": "{marker}-{n}"'.encode(), key=marker.encode())
    ops = httpx.AsyncClient(base_url=fleet["waitlist"].base_url, auth=fleet.operator(), timeout=30)
    try:
        letters = await eventually(lambda: letters_about(ops, marker), lambda ls: len(ls) == 3,
                                   what="three malformed records dead-lettered")
        started = ok(await ops.post("/dead-letters/redrives", json={
            "ids": [letter["id"] for letter in letters], "rate_per_second": 0.4, "reason": "slow on purpose"}))
        await eventually(lambda: progress(ops, started), lambda r: r["sent"] == 1, what="the first letter sent")
        cancelled = ok(await ops.post(f"/dead-letters/redrives/{started['id']}/cancel", json={"reason": "enough"}))
        assert cancelled["status"] == "cancelled"
        await asyncio.sleep(3.5)  # past the next letter's turn at 0.4/s
        final = ok(await ops.get(f"/dead-letters/redrives/{started['id']}"))
        assert (final["status"], final["sent"], final["total"]) == ("cancelled", 1, 3)
        now = await letters_about(ops, marker)
        assert [letter["replayed_at"] is not None for letter in now[:3]] == [True, False, False]
        assert [letter["dead_letter_count"] for letter in now[3:]] == [2], \
            "the one sent back failed again (malformed), counted twice"
        final = ok(await ops.get(f"/dead-letters/redrives/{started['id']}"))
        assert (final["failed_again"], final["redriven"]) == (1, 0), "and its redrive says so"
        assert final["failed_again_letters"][0]["new_letter_id"] == now[3]["id"]
        assert (await ops.post(f"/dead-letters/redrives/{started['id']}/cancel",
                               json={"reason": "twice"})).status_code == 409
    finally:
        await ops.aclose()
