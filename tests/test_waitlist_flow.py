"""The waitlist end to end: draw → offers → answers → promotion, over the real broker and database."""

import asyncio
import json
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from platform_deploy.infra import Infrastructure
from platform_deploy.scenario import (
    admin_client,
    answer_by_link,
    create_closed_draw,
    prepare_and_execute,
    wait_for_rows,
)
from platform_deploy.services import Fleet, ServiceProcess
from platform_shared.contracts import topics
from platform_shared.time.clock import Clock
from tests.support import eventually, execute_draw, fetch, ok, prepare_closed_draw, unique_campaign

pytestmark = pytest.mark.integration


def drawn_run(fleet: Fleet, *, entrants: int, seats: int, waitlist_size: int) -> tuple[str, list[dict[str, Any]]]:
    campaign = unique_campaign("wl")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=entrants, seats=seats,
                        waitlist_size=waitlist_size)
    run_id = execute_draw(fleet["lottery"].base_url, campaign)
    wait_for_rows(fleet["waitlist"].base_url, f"/runs/{run_id}/offers", seats, timeout=60)
    asyncio.run(deliveries_applied(fleet.infrastructure, run_id, seats))
    # Settled: every offer's deadline already counts from its delivered notification.
    return run_id, ok(admin_client(fleet["waitlist"].base_url).get(f"/runs/{run_id}/offers"))


async def deliveries_applied(infrastructure: Infrastructure, run_id: str, count: int) -> None:
    """Until the waitlist has applied the notifier's `notification_delivered` of each offer of the run."""
    async def applied() -> int:
        delivered = await fetch(infrastructure.database_urls["notifier"],
                                "SELECT event_id FROM outbox_messages WHERE topic = 'notification_delivered' "
                                "AND payload LIKE $1", f"%{run_id}%")
        seen = await fetch(infrastructure.database_urls["waitlist"],
                           "SELECT count(*) AS n FROM inbox_messages WHERE consumer = 'waitlist.deliveries' "
                           "AND event_id = ANY($1::uuid[])", [r["event_id"] for r in delivered])
        return min(len(delivered), int(seen[0]["n"]))

    await eventually(applied, lambda n: n >= count, what="offer notifications delivered and applied")


def test_accept_decline_and_the_immediate_promotion_after_a_decline(fleet: Fleet) -> None:
    run_id, offers = drawn_run(fleet, entrants=30, seats=3, waitlist_size=5)
    waitlist = admin_client(fleet["waitlist"].base_url)
    first, second = offers[0], offers[1]

    accepted = ok(answer_by_link(fleet, first, "accept"))
    assert accepted["status"] == "accepted"
    again = answer_by_link(fleet, first, "decline")
    assert again.status_code == 409 and "already answered" in again.json()["message"]

    ok(answer_by_link(fleet, second, "decline"))

    after = ok(waitlist.get(f"/runs/{run_id}/offers"))
    promoted = [o for o in after if o["source"] == "declined"]
    assert [o["rank"] for o in promoted] == [4], "rank 4, the first on the waitlist, got the seat at once"
    status = ok(waitlist.get(f"/runs/{run_id}/status"))
    assert (status["seats"], status["held"], status["accepted"], status["declined"]) == (3, 3, 1, 1)
    assert status["waitlist_remaining"] == 4
    notes = wait_for_rows(fleet["notifier"].base_url, f"/notifications?run_id={run_id}", 4, timeout=60)
    assert [n["user_id"] for n in notes if n["template"] == "WAITLIST_PROMOTION"] == [promoted[0]["user_id"]]


def test_accepting_after_the_deadline_is_refused_and_changes_nothing(fleet: Fleet, infrastructure: Infrastructure,
                                                                     clock: Clock) -> None:
    _, offers = drawn_run(fleet, entrants=10, seats=2, waitlist_size=2)
    late = offers[0]
    asyncio.run(fetch(infrastructure.database_urls["waitlist"], "UPDATE offers SET respond_by = $2 WHERE id = $1",
                      UUID(late["id"]), clock.now() - timedelta(minutes=1)))

    refused = answer_by_link(fleet, late, "accept")

    assert refused.status_code == 409 and "deadline passed" in refused.json()["message"]
    rows = asyncio.run(fetch(infrastructure.database_urls["waitlist"], "SELECT status FROM offers WHERE id = $1",
                             UUID(late["id"])))
    assert rows[0]["status"] == "offered", "refused: nothing changed (the next pass expires it)"


def test_a_rolled_back_run_voids_its_offers_and_promotes_no_more(fleet: Fleet) -> None:
    run_id, offers = drawn_run(fleet, entrants=20, seats=2, waitlist_size=3)
    lottery = admin_client(fleet["lottery"].base_url)
    rollback = ok(lottery.post(f"/runs/{run_id}/rollback/prepare", json={"reason": "wrong policy version"}))
    ok(lottery.post(f"/runs/{run_id}/rollback/confirm", json={"token": rollback["token"]}))
    waitlist = admin_client(fleet["waitlist"].base_url)

    status = asyncio.run(eventually(lambda: asyncio.to_thread(lambda: ok(waitlist.get(f"/runs/{run_id}/status"))),
                                    lambda s: s["status"] == "void", what="run voided"))
    assert (status["held"], status["void"]) == (0, 2)
    refused = answer_by_link(fleet, offers[0], "accept")
    assert refused.status_code == 409 and "rolled back" in refused.json()["message"]
    outcome = ok(waitlist.post(f"/runs/{run_id}/promote"))
    assert outcome["promoted"] == []


async def test_two_waitlist_processes_fill_every_freed_seat_exactly_once(
    fleet: Fleet, infrastructure: Infrastructure, clock: Clock
) -> None:
    # The fleet's waitlist and a second process with a fast scheduler: the scheduler and manual passes on both
    # race for the same seats (the fleet's own is not restarted: a restart costs the suite seconds).
    primary = fleet["waitlist"]
    replica = ServiceProcess("waitlist", primary.base_env, fleet.log_dir)
    replica.start({"WAITLIST_PROMOTION_INTERVAL_SECONDS": "0.3"})
    try:
        run_id, _ = await asyncio.to_thread(drawn_run, fleet, entrants=200, seats=20, waitlist_size=60)
        # Ten winners stay silent past their deadline...
        await fetch(infrastructure.database_urls["waitlist"],
                    "UPDATE offers SET respond_by = $2 WHERE run_id = $1 AND rank <= 10",
                    UUID(run_id), clock.now() - timedelta(seconds=1))
        # ...while both schedulers and a burst of manual triggers on both replicas race for the seats.
        async with httpx.AsyncClient(auth=fleet.operator(), timeout=30) as client:
            await asyncio.gather(*(client.post(f"{process.base_url}/runs/{run_id}/promote")
                                   for process in (primary, replica) for _ in range(5)))

        status = await eventually(
            lambda: asyncio.to_thread(lambda: ok(admin_client(primary.base_url).get(f"/runs/{run_id}/status"))),
            lambda s: s["expired"] == 10 and s["held"] == 20, what="freed seats filled")
        offers = await fetch(infrastructure.database_urls["waitlist"],
                             "SELECT rank, user_id, source FROM offers WHERE run_id = $1", UUID(run_id))
        promoted = sorted(o["rank"] for o in offers if o["source"] != "draw")
        assert promoted == list(range(21, 31)), "each freed seat went to the next in rank order, once"
        assert status["waitlist_remaining"] == 50
        events = await promoted_events(infrastructure, run_id, expected=10)
        assert sorted(e["rank"] for e in events) == list(range(21, 31)), "one waitlist_promoted per seat"
    finally:
        replica.stop()


async def promoted_events(infrastructure: Infrastructure, run_id: str, expected: int) -> list[dict[str, Any]]:
    """Every waitlist_promoted event of the run (waits for `expected`, then 2 s more for strays)."""
    consumer = AIOKafkaConsumer(topics.WAITLIST_PROMOTED, **infrastructure.kafka.client_kwargs(),
                                group_id=f"test-{uuid4()}", auto_offset_reset="earliest")
    await consumer.start()
    found: list[dict[str, Any]] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        quiet_until = None
        while loop.time() < deadline and (quiet_until is None or loop.time() < quiet_until):
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                found += [e for e in (json.loads(r.value) for r in records) if e["run_id"] == run_id]
            if len(found) >= expected and quiet_until is None:
                quiet_until = loop.time() + 2
    finally:
        await consumer.stop()
    return found


def test_when_nobody_is_left_to_promote_the_run_says_so(fleet: Fleet, infrastructure: Infrastructure) -> None:
    run_id, offers = drawn_run(fleet, entrants=3, seats=2, waitlist_size=1)
    waitlist = admin_client(fleet["waitlist"].base_url)
    for offer in offers:
        ok(answer_by_link(fleet, offer, "decline"))

    status = ok(waitlist.get(f"/runs/{run_id}/status"))
    assert (status["status"], status["held"], status["waitlist_remaining"]) == ("exhausted", 1, 0)
    events = asyncio.run(fetch(infrastructure.database_urls["waitlist"],
                               "SELECT payload FROM outbox_messages WHERE topic = 'waitlist_exhausted' "
                               "AND payload LIKE $1", f"%{run_id}%"))
    assert len(events) == 1 and json.loads(events[0]["payload"])["seats_left"] == 1


def test_an_offers_window_counts_from_when_its_notification_went_out(fleet: Fleet,
                                                                    infrastructure: Infrastructure) -> None:
    run_id, offers = drawn_run(fleet, entrants=6, seats=2, waitlist_size=1)
    sent = asyncio.run(fetch(infrastructure.database_urls["notifier"],
                             "SELECT user_id, sent_at FROM notifications WHERE run_id = $1 AND status = 'sent'",
                             UUID(run_id)))
    sent_at = {r["user_id"]: r["sent_at"] for r in sent}
    for offer in offers:
        respond_by = datetime.fromisoformat(offer["respond_by"])
        offered_at = datetime.fromisoformat(offer["offered_at"])
        assert respond_by == max(offered_at + timedelta(hours=24), sent_at[offer["user_id"]] + timedelta(hours=24))


async def test_an_offer_whose_message_cannot_be_delivered_starts_its_window_when_the_notifier_gives_up(
        fleet: Fleet, infrastructure: Infrastructure) -> None:
    """Issue 15: the vendor refuses both winners for good; the notifier publishes `notification_undeliverable`
    and the waitlist starts each offer's window then, instead of holding the seats for a message that will
    never come."""
    assert fleet.vendor is not None
    campaign, people = unique_campaign("unreachable"), [7_700_000 + n for n in range(6)]
    async with httpx.AsyncClient(base_url=fleet.vendor.base_url, timeout=10) as vendor:
        await vendor.put("/_behaviour", json={"reject_recipients": [str(p) for p in people]})
        try:
            with admin_client(fleet["lottery"].base_url) as lottery:
                create_closed_draw(lottery, campaign, [{"kakao_user_id": p, "weight": 1} for p in people], seats=2)
                run_id = str(prepare_and_execute(lottery, campaign)[1]["id"])
            started = await eventually(
                lambda: fetch(infrastructure.database_urls["waitlist"], "SELECT delivered_at FROM offers "
                              "WHERE run_id = $1 AND delivered_at IS NOT NULL", UUID(run_id)),
                lambda rows: len(rows) == 2, what="both offers' windows started")
        finally:
            await vendor.put("/_behaviour", json={})
    dead = await fetch(infrastructure.database_urls["notifier"], "SELECT status FROM notifications "
                       "WHERE run_id = $1", UUID(run_id))
    assert [r["status"] for r in dead] == ["dead", "dead"] and len(started) == 2
