"""SIGKILL in the middle of the flow loses nothing and doubles nothing (SPEC §2 delivery rules)."""

import asyncio
from uuid import UUID

import httpx
import pytest

from platform_deploy.infra import Infrastructure
from platform_deploy.services import Fleet
from tests.support import eventually, execute_draw, fetch, prepare_closed_draw, unique_campaign

pytestmark = pytest.mark.integration

WINNERS = 1_000


async def test_killed_consumers_end_with_exactly_one_notification_per_winner(
    fleet: Fleet, infrastructure: Infrastructure
) -> None:
    campaign = unique_campaign("crash")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=WINNERS, seats=WINNERS)
    waitlist_db = infrastructure.database_urls["waitlist"]
    notifier_db = infrastructure.database_urls["notifier"]

    # The waitlist kills itself (SIGKILL) after committing its 5th event to the database but before
    # committing the Kafka offset: the worst moment, and a deterministic one.
    fleet["waitlist"].stop()
    fleet["waitlist"].start({"FAILPOINTS": "consumer.after_apply@5"}, wait=True)
    run_id = await asyncio.to_thread(execute_draw, fleet["lottery"].base_url, campaign)
    assert await asyncio.to_thread(fleet["waitlist"].wait_exited, 60) == -9

    # Restarted, the waitlist applies the part it died in a second time (the offset was not committed)
    # and its relay sends what it had committed. Whether the dead process's relay got to send any of
    # this run's notifications depends on its backlog, so nothing below waits on the dead process.
    fleet["waitlist"].start()

    # The notifier is killed from outside as soon as part of the notifications are in.
    await eventually(lambda: count(notifier_db, "notifications", run_id), lambda n: n > 0, what="first notifications")
    fleet["notifier"].kill()
    fleet["notifier"].start()

    rows = await eventually(
        lambda: fetch(notifier_db, "SELECT user_id, dedupe_key FROM notifications WHERE run_id = $1",
                      UUID(run_id)),
        lambda rows: len(rows) >= WINNERS, what="all notifications",
    )
    await asyncio.sleep(2)  # a late duplicate would show up now; the unique key must hold it off
    rows = await fetch(notifier_db, "SELECT user_id FROM notifications WHERE run_id = $1", UUID(run_id))
    winners = {str(1_000_000 + n) for n in range(WINNERS)}
    assert sorted(r["user_id"] for r in rows) == sorted(winners), "exactly one notification per winner"
    offers = await fetch(waitlist_db, "SELECT user_id FROM offers WHERE run_id = $1", UUID(run_id))
    assert sorted(r["user_id"] for r in offers) == sorted(winners)
    # (Those two tables cannot hold a duplicate: unique keys. What follows observes the doubling itself.)
    # The inbox made the redelivered part a no-op: without it, the part's offers would collide with the
    # unique key, fail every retry and end as a dead letter, rolling back its outbox rows with them.
    enqueued = await fetch(waitlist_db, "SELECT count(*) AS n FROM outbox_messages "
                                        "WHERE topic = 'notification_requested' AND payload LIKE $1",
                           f"%{run_id}%")
    assert enqueued[0]["n"] == WINNERS
    letters = await fetch(waitlist_db, "SELECT count(*) AS n FROM dead_letters WHERE payload LIKE $1", f"%{run_id}%")
    assert letters[0]["n"] == 0, "the redelivered part was applied once, not refused"
    # Each notification went to the vendor once, unless the killed notifier had it claimed in flight.
    claims = await eventually(
        lambda: fetch(notifier_db, "SELECT dedupe_key, attempts, status FROM notifications WHERE run_id = $1",
                      UUID(run_id)),
        lambda rows: {r["status"] for r in rows} == {"sent"}, timeout=120,
        what="every notification sent (a killed claim waits out its 30 s lease)")
    assert fleet.vendor is not None
    report = await asyncio.to_thread(httpx.get, f"{fleet.vendor.base_url}/_deliveries", timeout=10)
    accepted = report.json()["accepted"]
    sent_twice = {r["dedupe_key"] for r in claims if accepted.get(r["dedupe_key"], 0) > 1}
    assert all(accepted.get(r["dedupe_key"]) for r in claims), "every winner's notification reached the vendor"
    assert sent_twice <= {r["dedupe_key"] for r in claims if r["attempts"] > 1}, \
        "only a claim the killed notifier held in flight may be sent again"


async def test_relay_killed_between_commit_and_send_still_delivers_after_restart(
    fleet: Fleet, infrastructure: Infrastructure
) -> None:
    campaign = unique_campaign("relay")
    lottery = fleet["lottery"]
    prepare_closed_draw(lottery.base_url, campaign, entrants=30, seats=4)
    lottery_db = infrastructure.database_urls["lottery"]

    # The relay dies right after claiming committed outbox rows, before any Kafka send. The slow
    # poll lets the API answer first, and so does an outbox with nothing left to claim at start: the close's
    # own records (its audit anchors) are sent before the restart, or the restarted relay would claim them
    # at once and die before it is healthy.
    await eventually(lambda: fetch(lottery_db, "SELECT count(*) AS n FROM outbox_messages WHERE published_at IS NULL"),
                     lambda rows: rows[0]["n"] == 0, what="the lottery's outbox sent")
    lottery.stop()
    lottery.start({"FAILPOINTS": "outbox.after_claim", "LOTTERY_OUTBOX_POLL_SECONDS": "2"})
    run_id = await asyncio.to_thread(execute_draw, lottery.base_url, campaign)
    assert await asyncio.to_thread(lottery.wait_exited, 60) == -9

    pending = await fetch(lottery_db, "SELECT published_at FROM outbox_messages WHERE payload LIKE $1",
                          f"%{run_id}%")
    assert [r["published_at"] for r in pending] == [None], "committed, never sent"
    assert await count(infrastructure.database_urls["waitlist"], "offers", run_id) == 0

    lottery.start()
    offers = await eventually(lambda: count(infrastructure.database_urls["waitlist"], "offers", run_id),
                              lambda n: n == 4, what="offers after the relay restarted")
    assert offers == 4


async def count(database_url: str, table: str, run_id: str) -> int:
    rows = await fetch(database_url, f"SELECT count(*) AS n FROM {table} WHERE run_id = $1", UUID(run_id))
    return int(rows[0]["n"])
