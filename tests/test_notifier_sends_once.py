"""The notifier hands each notification to the vendor once (SPEC §5: "nobody receives the same logical
notification twice"). Observed at the vendor before its idempotency-key deduplication: a vendor that
deduplicates would hide a sender that sends twice, so these checks count what the sender did."""

import asyncio
import random
from datetime import datetime, timedelta

import pytest

from notifier_service.adapters.vendor import HttpVendor
from notifier_service.application.resend import ResendSegment
from notifier_service.application.send_round import Sender, SenderConfig
from notifier_service.domain.resend import Segment
from platform_deploy.infra import Infrastructure
from platform_deploy.services import ServiceProcess
from platform_shared.time.clock import KST
from tests.notifier_harness import notifier_harness
from tests.support import eventually

pytestmark = pytest.mark.integration

DAYTIME = datetime(2026, 12, 1, 10, 0, tzinfo=KST)


async def test_a_sent_notification_never_reaches_the_vendor_again(infrastructure: Infrastructure,
                                                                 vendor: ServiceProcess) -> None:
    async with notifier_harness(infrastructure, vendor, DAYTIME, batch_size=25) as h:
        keys = [await h.request(f"once-{n}") for n in range(60)]
        other_vendor = HttpVendor(h.vendor_url, timeout_seconds=5)
        # A second replica on the same queue, as in production.
        replica = Sender(h.sessions, h.clock, other_vendor,
                         SenderConfig(batch_size=25, concurrency=4, lease=timedelta(seconds=30), poll_seconds=0.05),
                         rng=random.Random(8), worker_id="replica")
        try:
            # Many rounds of both senders, long past every lease: nothing sent may be claimed again.
            for _ in range(12):
                await h.sender.send_due()
                await replica.send_due()
                h.clock.advance(timedelta(minutes=1))
            # An operator's resend of everything that did not go out must not touch what did.
            ops = ResendSegment(h.sessions, h.clock)
            prepared = await ops.prepare_resend(Segment(statuses=("sent", "dead", "cancelled")), "admin", "drill")
            assert prepared["notifications"] == 0, "a resend never covers what was sent"
            await ops.confirm_resend(prepared["token"], "admin")
            await h.sender.send_due()
        finally:
            await other_vendor.close()

        report = await h.vendor_report()
        assert [report["accepted"].get(k) for k in keys] == [1] * len(keys), "each handed to the vendor once"
        assert [report["requests"].get(k) for k in keys] == [1] * len(keys), "and asked about once"
        assert {await h.status_of(k) for k in keys} == {"sent"}


async def test_a_sender_whose_claim_was_taken_over_records_nothing(infrastructure: Infrastructure,
                                                                   vendor: ServiceProcess) -> None:
    """The legitimate double send: a claim outlives its lease while the vendor call hangs, and another
    replica takes it over. The vendor sees the key twice (its idempotency key keeps the second from the
    recipient); the first sender, no longer the owner, must record nothing."""
    async with notifier_harness(infrastructure, vendor, DAYTIME) as h:
        key = await h.request("slow-vendor")
        await h.vendor_behaves(slow_seconds=2.0)
        other_vendor = HttpVendor(h.vendor_url, timeout_seconds=5)
        replica = Sender(h.sessions, h.clock, other_vendor,
                         SenderConfig(batch_size=25, concurrency=4, lease=timedelta(seconds=30), poll_seconds=0.05),
                         worker_id="replica")  # both run in this process; production ids differ by host and pid
        try:
            first = asyncio.create_task(h.sender.send_due())
            await eventually(lambda: h.status_of(key), lambda status: status == "sending", timeout=10,
                             what="the first sender's claim")
            h.clock.advance(timedelta(seconds=31))  # the first call is still in flight when its lease runs out
            await replica.send_due()
            await first
        finally:
            await other_vendor.close()

        report = await h.vendor_report()
        assert (report["accepted"][key], report["deliveries"][key]) == (2, 1), "taken over: sent twice, got once"
        recorded = await h.rows("SELECT a.verdict FROM notification_attempts a JOIN notifications n "
                                "ON n.id = a.notification_id WHERE n.dedupe_key = $1", key)
        assert [r["verdict"] for r in recorded] == ["sent"], "only the new owner recorded an outcome"
        assert await h.status_of(key) == "sent"
