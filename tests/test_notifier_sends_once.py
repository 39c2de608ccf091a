"""The notifier hands each notification to the vendor once (SPEC §5: "nobody receives the same logical
notification twice"). Observed at the vendor before its idempotency-key deduplication: a vendor that
deduplicates would hide a sender that sends twice, so these checks count what the sender did."""

import random
from datetime import datetime, timedelta

import pytest

from notifier_service.adapters.vendor import HttpVendor
from notifier_service.operations import NotifierOperations, Segment
from notifier_service.sender import Sender, SenderConfig
from platform_deploy.infra import Infrastructure
from platform_deploy.services import ServiceProcess
from platform_shared.clock import KST
from tests.notifier_harness import notifier_harness

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
                         rng=random.Random(8))
        try:
            # Many rounds of both senders, long past every lease: nothing sent may be claimed again.
            for _ in range(12):
                await h.sender.send_due()
                await replica.send_due()
                h.clock.advance(timedelta(minutes=1))
            # An operator's resend of everything that did not go out must not touch what did.
            ops = NotifierOperations(h.sessions, h.clock)
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
