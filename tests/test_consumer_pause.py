"""Ops pause a consumer group fleet-wide (issue 14): two waitlist replicas hold the draw intake while draws
complete, one of them restarts meanwhile and stays paused (by lag, and by no inbox row for the held
events); resume applies every held event, each winner getting their offer."""

import asyncio
from typing import Any

import httpx
import pytest

from platform_deploy.infra import Infrastructure
from platform_deploy.services import Fleet, ServiceProcess
from tests.support import eventually, execute_draw, fetch, ok, prepare_closed_draw, unique_campaign

pytestmark = pytest.mark.integration

GROUP, SEATS, WAITLIST = "waitlist", 3, 2


async def group_status(ops: httpx.AsyncClient) -> dict[str, Any]:
    groups: list[dict[str, Any]] = ok(await ops.get("/consumers"))
    [status] = [g for g in groups if g["group_id"] == GROUP]
    return status


async def completion_events(infrastructure: Infrastructure, run_ids: list[str]) -> list[str]:
    """The draw_completed events the lottery wrote for these runs (its outbox)."""
    rows = await fetch(infrastructure.database_urls["lottery"],
                       "SELECT event_id::text FROM outbox_messages WHERE topic = 'draw_completed' "
                       "AND payload::jsonb ->> 'run_id' = ANY($1::text[])", run_ids)
    return sorted(r["event_id"] for r in rows)


async def applied(infrastructure: Infrastructure, event_ids: list[str]) -> list[str]:
    rows = await fetch(infrastructure.database_urls["waitlist"],
                       "SELECT event_id::text FROM inbox_messages WHERE consumer = $1 AND event_id::text = ANY($2)",
                       GROUP, event_ids)
    return sorted(r["event_id"] for r in rows)


def draw(fleet: Fleet) -> str:
    campaign = unique_campaign("paused")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=12, seats=SEATS, waitlist_size=WAITLIST)
    return execute_draw(fleet["lottery"].base_url, campaign)


async def test_a_paused_group_holds_on_every_replica_across_a_restart_and_resume_applies_every_event(
        fleet: Fleet, infrastructure: Infrastructure) -> None:
    primary = fleet["waitlist"]
    second = ServiceProcess("waitlist", {**primary.base_env, "WAITLIST_CONSUMER_CONTROL_INTERVAL_SECONDS": "0.5"},
                            fleet.log_dir)
    second.start(wait=False)  # comes up while the pause is requested; both must report it below
    ops = httpx.AsyncClient(base_url=primary.base_url, auth=fleet.operator(), timeout=30)
    try:
        paused = ok(await ops.post("/consumers/pause", json={"groups": [GROUP], "reason": "incident drill"}))
        assert [g["desired_paused"] for g in paused if g["group_id"] == GROUP] == [True]
        await eventually(lambda: group_status(ops),
                         lambda g: len(g["replicas"]) == 2 and all(r["paused"] for r in g["replicas"]),
                         what="both replicas paused on every partition they hold")

        run_ids = [await asyncio.to_thread(draw, fleet) for _ in range(2)]
        second.stop()  # a restart while events wait: the new process reads the pause before it consumes
        second.start(wait=False)
        run_ids.append(await asyncio.to_thread(draw, fleet))  # published while it starts
        await asyncio.to_thread(second.wait_healthy)
        events = await eventually(lambda: completion_events(infrastructure, run_ids), lambda e: len(e) == 3,
                                  what="the lottery wrote the three completions")
        held = await eventually(lambda: group_status(ops),
                                lambda g: len(g["replicas"]) == 2 and all(r["paused"] for r in g["replicas"])
                                and sum(r["lag"] or 0 for r in g["replicas"]) >= 3,
                                what="the restarted replica paused too, and the held events show as lag")
        assert held["desired"]["reason"] == "incident drill"
        await asyncio.sleep(2.5)  # past a control round of each replica: long enough for a leak to show
        assert await applied(infrastructure, events) == [], "nothing applied while paused"

        ok(await ops.post("/consumers/resume", json={"groups": [GROUP], "reason": "incident over"}))
        await eventually(lambda: applied(infrastructure, events), lambda a: a == events, timeout=60,
                         what="every held event applied after resume")
        offers = await fetch(infrastructure.database_urls["waitlist"],
                             "SELECT run_id::text, count(*) AS n, count(DISTINCT user_id) AS users FROM offers "
                             "WHERE run_id::text = ANY($1) AND source = 'draw' GROUP BY run_id", run_ids)
        assert sorted((r["n"], r["users"]) for r in offers) == [(SEATS, SEATS)] * 3, "one offer per winner"
        await eventually(lambda: group_status(ops),
                         lambda g: all(r["lag"] == 0 and not r["paused"] for r in g["replicas"]),
                         what="lag back to zero on every replica")
    finally:
        await ops.post("/consumers/resume", json={"groups": [GROUP], "reason": "test cleanup"})
        await ops.aclose()
        second.stop()
