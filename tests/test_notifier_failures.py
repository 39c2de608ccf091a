"""Vendor failures, dead letters, pause/resume and resend (SPEC §5), with the vendor fake misbehaving."""

import asyncio
import json
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker

from notifier_service.application.fix_template import FixTemplate
from notifier_service.application.pause_sending import PauseSending
from notifier_service.application.resend import ResendSegment
from notifier_service.domain.resend import Segment
from platform_deploy.infra import Infrastructure
from platform_deploy.services import ServiceProcess
from platform_shared.contracts import topics
from platform_shared.messaging.outbox import OutboxRelay
from platform_shared.time.clock import KST
from tests.notifier_harness import Harness, notifier_harness
from tests.support import eventually

pytestmark = pytest.mark.integration

DAYTIME = datetime(2026, 12, 1, 10, 0, tzinfo=KST)


async def drain(h: Harness, rounds: int = 200, step: timedelta = timedelta(minutes=2)) -> None:
    """Run the sender until nothing is left to do, moving the clock past backoffs."""
    for _ in range(rounds):
        await h.sender.send_due()
        pending = await h.rows("SELECT count(*) AS n FROM notifications WHERE status NOT IN ('sent', 'dead', "
                               "'cancelled')")
        if pending[0]["n"] == 0:
            return
        h.clock.advance(step)
    raise AssertionError("the queue did not drain")


async def test_a_failure_storm_recovers_transient_errors_and_dead_letters_permanent_ones(
    infrastructure: Infrastructure, vendor: ServiceProcess
) -> None:
    async with notifier_harness(infrastructure, vendor, DAYTIME) as h:
        rejected = {f"bad-{n}" for n in range(5)}
        await h.vendor_behaves(failure_rate=0.4, rate_limit_next=10, retry_after_seconds=90,
                               reject_recipients=sorted(rejected))
        good = [await h.request(f"good-{n}") for n in range(60)]
        bad = [await h.request(user) for user in sorted(rejected)]

        await h.sender.send_due()
        # Before drain() moves the clock: the next try of each 429 is at least Retry-After away, though
        # the policy's own first backoff (30 s ± 20 %) would come sooner.
        gaps = await h.rows("SELECT n.next_attempt_at - a.at AS gap FROM notification_attempts a "
                            "JOIN notifications n ON n.id = a.notification_id WHERE a.reason = '429 rate limited'")
        assert len(gaps) == 10 and all(g["gap"] >= timedelta(seconds=90) for g in gaps), "Retry-After is honoured"
        await drain(h)

        assert {await h.status_of(k) for k in good} == {"sent"}, "transient failures recover with backoff"
        assert {await h.status_of(k) for k in bad} == {"dead"}, "permanent failures are not retried"
        report = await h.vendor_report()
        assert all(report["accepted"][k] == 1 for k in good), "each recovered notification was sent once"
        assert not set(bad) & set(report["accepted"])
        assert all(report["requests"][k] == 1 for k in bad), "a rejected recipient is tried once"
        retried = await h.rows("SELECT count(*) AS n FROM notifications WHERE attempts > 1")
        assert retried[0]["n"] > 10, "the storm really caused retries"

        letters = await published_dead_letters(h, infrastructure, expected=len(bad))
        assert {letter["dedupe_key"] for letter in letters} == set(bad)
        assert all(letter["reason"] == "400 rejected" and len(letter["attempts"]) == 1 for letter in letters)


async def test_retries_run_out_into_a_dead_letter_with_the_attempt_history(
    infrastructure: Infrastructure, vendor: ServiceProcess
) -> None:
    async with notifier_harness(infrastructure, vendor, DAYTIME) as h:
        await h.vendor_behaves(failure_rate=1.0)
        key = await h.request("unlucky")
        await drain(h, step=timedelta(hours=1))
        assert await h.status_of(key) == "dead"
        letters = await published_dead_letters(h, infrastructure, expected=1)
        assert [a["attempt"] for a in letters[0]["attempts"]] == [1, 2, 3, 4, 5]  # policy retry.max_attempts
        assert letters[0]["reason"] == "500 vendor error"


async def test_pause_holds_everything_and_resume_sends_it_all_once(infrastructure: Infrastructure,
                                                                   vendor: ServiceProcess) -> None:
    async with notifier_harness(infrastructure, vendor, DAYTIME) as h:
        ops = PauseSending(h.sessions, h.clock)
        await ops.pause("admin", "vendor mass failure", until=None)
        keys = [await h.request(f"p-{n}") for n in range(30)]
        for _ in range(5):
            await h.sender.send_due()
            h.clock.advance(timedelta(minutes=5))
        assert (await h.vendor_report())["requests"] == {}, "nothing is sent while paused"
        assert {await h.status_of(k) for k in keys} == {"queued"}, "intake went on; nothing lost"

        await ops.resume("admin", "vendor recovered")
        await drain(h)
        accepted = (await h.vendor_report())["accepted"]
        assert [accepted.get(k) for k in keys] == [1] * 30


async def test_a_pause_stops_a_round_already_under_way(infrastructure: Infrastructure, vendor: ServiceProcess) -> None:
    """One round claims 100 notifications and sends them ten per vendor call, one call at a time; ops pause
    after the first call: at most the call in flight goes out, the rest go back to the queue, unsent."""
    async with notifier_harness(infrastructure, vendor, DAYTIME, vendor_batch=10, concurrency=1) as h:
        await h.vendor_behaves(slow_seconds=1.0)  # a call lasts longer than the test takes to notice it
        keys = [await h.request(f"mid-{n}") for n in range(100)]
        round_ = asyncio.create_task(h.sender.send_due())
        await eventually(h.vendor_report, lambda report: len(report["requests"]) >= 10, timeout=30,
                         what="the first vendor call answered")
        await PauseSending(h.sessions, h.clock).pause("admin", "vendor sends to the wrong numbers",
                                                            until=None)
        assert await round_ == 100, "the round had claimed them all"
        sent = len((await h.vendor_report())["requests"])
        assert sent <= 20, f"{sent} went out after the pause"
        statuses = [await h.status_of(k) for k in keys]
        assert statuses.count("queued") == 100 - sent and statuses.count("sent") == sent, "nothing lost"
        await h.vendor_behaves()


async def test_a_pause_with_an_end_time_lifts_itself(infrastructure: Infrastructure, vendor: ServiceProcess) -> None:
    async with notifier_harness(infrastructure, vendor, DAYTIME) as h:
        ops = PauseSending(h.sessions, h.clock)
        await ops.pause("admin", "maintenance window", until=DAYTIME + timedelta(minutes=30))
        key = await h.request("later")
        await h.sender.send_due()
        assert await h.status_of(key) == "queued"
        h.clock.advance(timedelta(minutes=31))
        await h.sender.send_due()
        assert await h.status_of(key) == "sent"
        assert (await ops.sender_state()).paused is False


async def test_resend_after_a_template_fix_reaches_only_those_who_never_got_it(
    infrastructure: Infrastructure, vendor: ServiceProcess
) -> None:
    async with notifier_harness(infrastructure, vendor, DAYTIME) as h:
        templates, resend = FixTemplate(h.sessions, h.clock), ResendSegment(h.sessions, h.clock)
        shipped = next(t.body for t in await templates.templates() if (t.name, t.locale) == ("INCIDENT_NOTICE", "ko"))
        delivered = await h.request("fine", template="INCIDENT_NOTICE")
        await drain(h)
        await templates.update_template("INCIDENT_NOTICE", f"{shipped}\n(see ${{link}})", "admin", "add a link")
        broken = [await h.request(f"broken-{n}", template="INCIDENT_NOTICE") for n in range(3)]
        await drain(h)
        assert {await h.status_of(k) for k in broken} == {"dead"}, "a template error is permanent"

        await templates.update_template("INCIDENT_NOTICE", shipped, "admin", "drop the link")
        segment = Segment(statuses=("dead", "cancelled"), template="INCIDENT_NOTICE")
        prepared = await resend.prepare_resend(segment, "admin", "template fixed")
        assert prepared["notifications"] == 3, "the sent one is not part of the segment"
        assert await resend.confirm_resend(prepared["token"], "admin") == {"requeued": 3}
        assert await resend.confirm_resend(prepared["token"], "admin") == {"requeued": 3}, "same token, same outcome"
        await drain(h)

        accepted = (await h.vendor_report())["accepted"]
        assert [accepted.get(k) for k in [delivered, *broken]] == [1, 1, 1, 1], "the sent one was not sent again"


async def published_dead_letters(h: Harness, infrastructure: Infrastructure, expected: int) -> list[dict[str, Any]]:
    """Relay the harness's outbox to the real broker, then read those letters back from the topic."""
    broker = KafkaBroker(**infrastructure.kafka.broker_kwargs())
    await broker.start()
    try:
        await OutboxRelay(h.sessions, broker, batch_size=500, poll_seconds=0.1).publish_pending()
    finally:
        await broker.stop()
    keys = {r["dedupe_key"] for r in await h.rows("SELECT dedupe_key FROM notifications WHERE status = 'dead'")}
    consumer = AIOKafkaConsumer(topics.DEAD_LETTER, **infrastructure.kafka.client_kwargs(),
                                group_id=f"test-{uuid4()}", auto_offset_reset="earliest")
    await consumer.start()
    letters: list[dict[str, Any]] = []
    try:
        for _ in range(60):
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    letter = json.loads(record.value)
                    if letter.get("event_type") == "notification_dead_lettered" and letter["dedupe_key"] in keys:
                        letters.append(letter)
            if len(letters) >= expected:
                break
    finally:
        await consumer.stop()
    return letters


async def test_a_resend_never_revives_a_rolled_back_draws_offers(infrastructure: Infrastructure,
                                                                 vendor: ServiceProcess) -> None:
    from uuid import uuid4 as new_id

    from notifier_service.application.cancel_run import cancel_run
    from platform_shared.contracts.events import DrawRolledBack, NotificationRequested

    async with notifier_harness(infrastructure, vendor, DAYTIME) as h:
        run_id = new_id()
        await h.vendor_behaves(reject_recipients=["winner-1"])
        async with h.sessions.begin() as session:
            await h.intake.enqueue(NotificationRequested(
                occurred_at=DAYTIME, dedupe_key=f"offer:{run_id}:winner-1", user_id="winner-1",
                template="WINNER_OFFER", params={"campaign_id": "c", "respond_by": "tomorrow"}, run_id=run_id), session)
        await drain(h)
        async with h.sessions.begin() as session:
            await cancel_run(DrawRolledBack(occurred_at=DAYTIME, run_id=run_id, campaign_id="c",
                                            reason="wrong seats"), session)
        await h.vendor_behaves()
        ops = ResendSegment(h.sessions, h.clock)

        prepared = await ops.prepare_resend(Segment(), "admin", "vendor fixed the recipient list")

        assert prepared["notifications"] == 0, "the dead offer of a rolled-back draw is not resent"


@pytest.mark.parametrize("as_date", [False, True], ids=["seconds", "http-date"])
async def test_a_whole_call_rate_limit_waits_as_long_as_the_vendor_asked(
        infrastructure: Infrastructure, vendor: ServiceProcess, as_date: bool) -> None:
    """A 429 for the whole batch call, its Retry-After in seconds or as an HTTP-date (measured from the
    vendor's own Date header): the retry waits that long, not the 30 s the backoff would have chosen."""
    async with notifier_harness(infrastructure, vendor, DAYTIME) as h:
        await h.vendor_behaves(batch_rate_limit_next=1, retry_after_seconds=600, retry_after_as_date=as_date)
        key = await h.request("patient")
        await h.sender.send_due()
        [row] = await h.rows("SELECT status, next_attempt_at FROM notifications WHERE dedupe_key = $1", key)
        assert row["status"] == "retrying"
        wait = row["next_attempt_at"] - h.clock.now()
        assert timedelta(seconds=598) <= wait <= timedelta(seconds=601), wait
        await h.vendor_behaves()
