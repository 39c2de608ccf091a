"""The notifier as running processes: two replicas share the queue, one is killed mid-send; and a
rolled-back draw cancels what was not sent, and its re-run tells those who were told that their seat stands."""

import asyncio
from uuid import uuid4

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from notifier_service.domain.template_preview import sample_params
from platform_deploy.infra import Infrastructure
from platform_deploy.scenario import admin_client, answer_by_link, prepare_and_execute, wait_for_rows
from platform_deploy.services import Fleet, ServiceProcess
from platform_shared.contracts import topics
from platform_shared.contracts.events import NotificationRequested
from platform_shared.time.clock import Clock
from tests.support import eventually, execute_draw, fetch, ok, prepare_closed_draw, unique_campaign

pytestmark = pytest.mark.integration

COUNT = 300


async def test_two_notifiers_and_a_sigkill_mid_send_deliver_each_notification_exactly_once(
    fleet: Fleet, infrastructure: Infrastructure, clock: Clock
) -> None:
    assert fleet.vendor is not None
    short_lease = {"NOTIFIER_CLAIM_LEASE_SECONDS": "4", "NOTIFIER_VENDOR_TIMEOUT_SECONDS": "2",
                   "NOTIFIER_SEND_BATCH_SIZE": "20", "NOTIFIER_SEND_CONCURRENCY": "10"}
    primary = fleet["notifier"]
    primary.stop()
    primary.start(short_lease)
    replica = ServiceProcess("notifier", primary.base_env, fleet.log_dir)
    replica.start(short_lease)
    vendor = httpx.AsyncClient(base_url=fleet.vendor.base_url, timeout=10)
    await vendor.put("/_behaviour", json={"slow_seconds": 0.15})  # keeps sends in flight
    batch = f"kill-{uuid4().hex[:8]}"
    try:
        keys = await publish_requests(infrastructure, clock, batch, COUNT)
        notifier_db = infrastructure.database_urls["notifier"]
        await eventually(lambda: sent_count(notifier_db, batch), lambda n: n >= 40, what="sending under way")
        replica.kill()

        await eventually(lambda: sent_count(notifier_db, batch), lambda n: n == COUNT, timeout=120,
                         what="every notification sent")
        report = (await vendor.get("/_deliveries")).json()
        assert [report["deliveries"].get(k) for k in keys] == [1] * COUNT, "every recipient got it once"
        claims = {r["dedupe_key"]: r["attempts"] for r in await fetch(
            notifier_db, "SELECT dedupe_key, attempts FROM notifications WHERE dedupe_key LIKE $1", f"{batch}:%")}
        sent_twice = {k for k in keys if report["accepted"][k] > 1}
        taken_over = {k for k in keys if claims[k] > 1}
        assert sent_twice <= taken_over, "only a killed sender's claim may reach the vendor a second time " \
                                         "(the idempotency key keeps it from the recipient)"
        recorded = await fetch(notifier_db, "SELECT n.dedupe_key, count(*) AS sends FROM notification_attempts a "
                                            "JOIN notifications n ON n.id = a.notification_id WHERE a.verdict = 'sent' "
                                            "AND n.dedupe_key LIKE $1 GROUP BY n.dedupe_key", f"{batch}:%")
        assert len(recorded) == COUNT and {r["sends"] for r in recorded} == {1}, \
            "exactly one sender recorded each notification as sent"
        resent = [k for k in keys if report["requests"][k] > 1]
        assert len(resent) <= 20, "only the killed replica's in-flight claims were tried again"
    finally:
        await vendor.put("/_behaviour", json={})
        await vendor.aclose()
        replica.stop()
        primary.stop()
        primary.start()


def test_a_rollback_cancels_unsent_notifications_and_corrects_sent_ones(fleet: Fleet,
                                                                        infrastructure: Infrastructure) -> None:
    campaign = unique_campaign("cancel")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=20, seats=3, waitlist_size=3)
    run_id = execute_draw(fleet["lottery"].base_url, campaign)
    notifier = admin_client(fleet["notifier"].base_url)
    sent = wait_for_rows(fleet["notifier"].base_url, f"/notifications?run_id={run_id}&status=sent", 3, 60)

    ok(notifier.post("/sending/pause", json={"reason": "checking a complaint"}))
    try:
        waitlist = admin_client(fleet["waitlist"].base_url)
        offer = ok(waitlist.get(f"/runs/{run_id}/offers"))[0]
        ok(answer_by_link(fleet, offer, "decline"))
        promotion = wait_for_rows(fleet["notifier"].base_url,
                                  f"/notifications?run_id={run_id}&status=queued", 1, 60)[0]
        lottery = admin_client(fleet["lottery"].base_url)
        rollback = ok(lottery.post(f"/runs/{run_id}/rollback/prepare", json={"reason": "wrong seat count"}))
        ok(lottery.post(f"/runs/{run_id}/rollback/confirm", json={"token": rollback["token"]}))

        cancelled = asyncio.run(eventually(
            lambda: fetch(infrastructure.database_urls["notifier"],
                          "SELECT status FROM notifications WHERE dedupe_key = $1", promotion["dedupe_key"]),
            lambda rows: rows[0]["status"] == "cancelled", what="the unsent promotion cancelled"))
        assert cancelled
    finally:
        ok(notifier.post("/sending/resume", json={"reason": "complaint checked"}))

    # The correction waits for the outcome (runbook §14.2): the re-run (same seed, same seats) seats the same
    # three, so each of those told hears that their seat stands; the promoted one was never told: nothing.
    told = {n["user_id"] for n in sent}
    _, rerun = prepare_and_execute(admin_client(fleet["lottery"].base_url), campaign)
    notices = wait_for_rows(fleet["notifier"].base_url, f"/notifications?run_id={rerun['id']}&status=sent", 3, 60)
    assert {n["user_id"]: n["template"] for n in notices} == {user: "SEAT_CONFIRMED" for user in told}
    assert not asyncio.run(fetch(infrastructure.database_urls["notifier"],
                                 "SELECT 1 FROM notifications WHERE dedupe_key LIKE $1", f"rollback:{run_id}:%")), \
        "nobody kept their seat and was told it was withdrawn"


async def publish_requests(infrastructure: Infrastructure, clock: Clock, batch: str, count: int) -> list[str]:
    producer = AIOKafkaProducer(**infrastructure.kafka.client_kwargs())
    await producer.start()
    keys = [f"{batch}:{n}" for n in range(count)]
    try:
        for n, key in enumerate(keys):
            event = NotificationRequested(occurred_at=clock.now(), dedupe_key=key, user_id=f"{batch}-u{n}",
                                          template="INCIDENT_NOTICE", params=sample_params("INCIDENT_NOTICE"))
            await producer.send(topics.NOTIFICATION_REQUESTED, event.model_dump_json().encode(),
                                key=event.partition_key())
        await producer.flush()
    finally:
        await producer.stop()
    return keys


async def sent_count(database_url: str, batch: str) -> int:
    rows = await fetch(database_url, "SELECT count(*) AS n FROM notifications WHERE dedupe_key LIKE $1 "
                                     "AND status = 'sent'", f"{batch}:%")
    return int(rows[0]["n"])
