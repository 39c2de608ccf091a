"""Issue 15's sender defects, each with the real notifier database and the fake vendor process: a call that
could still be in flight at 22:00 does not start; a slow vendor is cut at the whole-call deadline, not left
to outlive the claim's lease; a delivery answered after 22:00 counts as a quiet-hours violation, whenever
the call started; and a claim that was taken over (by any sender, itself included) records nothing."""

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest

from notifier_service.adapters.outcomes import OutcomeRecorder
from notifier_service.adapters.send_queue import SendQueue
from notifier_service.adapters.vendor import HttpVendor, OutgoingMessage
from notifier_service.application.dashboard import snapshot
from notifier_service.application.ports import Vendor
from notifier_service.application.send_round import Sender, SenderConfig
from notifier_service.domain.delivery import AttemptResult, Verdict
from platform_deploy.infra import Infrastructure
from platform_deploy.services import ServiceProcess
from platform_shared.time.clock import KST, FixedClock
from tests.notifier_harness import Harness, notifier_harness

pytestmark = pytest.mark.integration

LEASE = timedelta(seconds=30)


async def requests_for(h: Harness, key: str) -> int:
    return int((await h.vendor_report())["requests"].get(key, 0))


async def test_a_call_that_could_run_into_22_00_does_not_start(infrastructure: Infrastructure,
                                                                vendor: ServiceProcess) -> None:
    """21:59:55 with a 10 s whole-call timeout: the call could be answered at 22:00:05, so it waits for
    08:00 (before the fix it went out: only the start was checked)."""
    async with notifier_harness(infrastructure, vendor, datetime(2026, 12, 3, 21, 59, 55, tzinfo=KST),
                                call_timeout_seconds=10) as h:
        key = await h.request("late-evening")
        await h.sender.send_due()
        assert await h.status_of(key) == "held" and await requests_for(h, key) == 0
        h.clock.set(datetime(2026, 12, 4, 8, 0, tzinfo=KST))
        await h.sender.send_due()
        assert await h.status_of(key) == "sent" and await requests_for(h, key) == 1


async def test_a_slow_vendor_is_cut_at_the_whole_call_deadline(infrastructure: Infrastructure,
                                                               vendor: ServiceProcess) -> None:
    """httpx's timeout is per phase (5 s here, and the vendor answers in 3 s): only the whole-call bound
    stops the call, and the notification is retried, its claim released long before the lease ends."""
    async with notifier_harness(infrastructure, vendor, datetime(2026, 12, 3, 11, 0, tzinfo=KST),
                                call_timeout_seconds=0.5) as h:
        await h.vendor_behaves(slow_seconds=3)
        key = await h.request("patient")
        await h.sender.send_due()
        [row] = await h.rows("SELECT n.status, n.claimed_by, a.reason FROM notifications n "
                             "JOIN notification_attempts a ON a.notification_id = n.id WHERE n.dedupe_key = $1", key)
        assert (row["status"], row["claimed_by"], row["reason"]) == \
            ("retrying", None, "vendor call cut at its deadline")


class AnswersLate:
    """The real vendor, answering `delay` later by the harness clock (a call the timeout did not stop)."""

    def __init__(self, vendor: Vendor, clock: FixedClock, delay: timedelta) -> None:
        self._vendor, self._clock, self._delay = vendor, clock, delay

    async def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[AttemptResult]:
        answers = await self._vendor.send_batch(messages)
        self._clock.advance(self._delay)
        return answers


async def test_a_delivery_answered_after_22_00_counts_as_a_violation(infrastructure: Infrastructure,
                                                                     vendor: ServiceProcess) -> None:
    async with notifier_harness(infrastructure, vendor, datetime(2026, 12, 3, 21, 59, 40, tzinfo=KST)) as h:
        http_vendor = HttpVendor(h.vendor_url, timeout_seconds=5.0)
        late = Sender(h.sessions, h.clock, AnswersLate(http_vendor, h.clock, timedelta(seconds=25)),
                      SenderConfig(batch_size=10, concurrency=1, lease=LEASE, poll_seconds=0.05))
        key = await h.request("evening")
        try:
            await late.send_due()
        finally:
            await http_vendor.close()
        assert await h.status_of(key) == "sent"
        [attempt] = await h.rows("SELECT a.at FROM notification_attempts a JOIN notifications n "
                                 "ON n.id = a.notification_id WHERE n.dedupe_key = $1", key)
        assert attempt["at"] == datetime(2026, 12, 3, 22, 0, 5, tzinfo=KST), "stamped when answered"
        async with h.sessions() as session:
            assert (await snapshot(session))["quiet_hours_violations"] == 1


async def test_a_claim_taken_over_records_nothing_even_by_the_same_sender(infrastructure: Infrastructure,
                                                                           vendor: ServiceProcess) -> None:
    """The first claim's lease ran out and the same worker claimed the row again: the first claim's late
    outcome is refused (its claimed_until is no longer the row's), the second's counts."""
    async with notifier_harness(infrastructure, vendor, datetime(2026, 12, 3, 11, 0, tzinfo=KST)) as h:
        key = await h.request("taken-over")
        queue = SendQueue(h.sessions, "worker-a", batch_size=10, lease=LEASE)
        outcomes = OutcomeRecorder(h.sessions, h.clock, "worker-a", random.Random(1))
        policy, _ = await queue.policy_and_templates()
        first = await queue.claim(h.clock.now())
        h.clock.advance(LEASE + timedelta(seconds=1))
        second = await queue.claim(h.clock.now())
        assert [r.id for r in first.rows] == [r.id for r in second.rows]
        [row_id] = [r.id for r in first.rows]

        await outcomes.record({row_id: AttemptResult(Verdict.PERMANENT, "400 rejected")}, {None}, policy,
                              first.lease_until)
        assert await h.status_of(key) == "sending", "the stale claim's outcome is not recorded"
        await outcomes.record({row_id: AttemptResult(Verdict.SENT, "200")}, {None}, policy, second.lease_until)
        assert await h.status_of(key) == "sent"
