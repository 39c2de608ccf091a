"""Quiet hours with a moved clock (SPEC §5): nothing goes out 22:00–08:00 KST; what waits is released
from 08:00 in arrival order at the policy's rate."""

import random
from datetime import datetime, timedelta

import pytest

from notifier_service.application.dashboard import Dashboard
from platform_deploy.infra import Infrastructure
from platform_deploy.services import ServiceProcess
from platform_shared.contracts.policy import QuietHours
from platform_shared.time.clock import KST
from platform_shared.time.quiet_hours import in_quiet_hours
from tests.notifier_harness import notifier_harness

pytestmark = pytest.mark.integration

RATE = 50.0  # policy_defaults().release_rate_per_second


async def test_the_window_edges_and_a_retry_that_falls_inside(infrastructure: Infrastructure,
                                                              vendor: ServiceProcess) -> None:
    async with notifier_harness(infrastructure, vendor, datetime(2026, 12, 1, 21, 30, tzinfo=KST)) as h:
        retried = await h.request("early")
        await h.vendor_behaves(fail_next=1)
        await h.sender.send_due()
        assert await h.status_of(retried) == "retrying"
        # Its backoff lands at 23:00 (as a long backoff would).
        await h.rows("UPDATE notifications SET next_attempt_at = $1 WHERE dedupe_key = $2",
                     datetime(2026, 12, 1, 23, 0, tzinfo=KST), retried)

        h.clock.set(datetime(2026, 12, 1, 21, 59, 54, tzinfo=KST))  # a 5 s call is over by 21:59:59
        last_call = await h.request("u-21:59:54")
        await h.sender.send_due()
        assert await h.status_of(last_call) == "sent"

        h.clock.set(datetime(2026, 12, 1, 21, 59, 59, tzinfo=KST))  # it could be answered at 22:00:04
        last_second = await h.request("u-21:59:59")
        await h.sender.send_due()
        assert await h.status_of(last_second) == "held"

        h.clock.set(datetime(2026, 12, 1, 22, 0, 0, tzinfo=KST))
        on_the_hour = await h.request("u-22:00:00")
        await h.sender.send_due()
        assert await h.status_of(on_the_hour) == "held"

        h.clock.set(datetime(2026, 12, 1, 23, 0, tzinfo=KST))
        await h.sender.send_due()
        assert await h.status_of(retried) == "held", "a retry due at 23:00 waits too"
        report = await h.vendor_report()
        assert on_the_hour not in report["requests"] and report["requests"][retried] == 1

        h.clock.set(datetime(2026, 12, 2, 8, 0, 0, tzinfo=KST))
        for _ in range(3):
            await h.sender.send_due()
            h.clock.advance(timedelta(seconds=1))
        assert {await h.status_of(k) for k in (retried, last_second, on_the_hour)} == {"sent"}


async def test_the_night_backlog_is_released_from_0800_in_arrival_order_at_the_rate(
    infrastructure: Infrastructure, vendor: ServiceProcess
) -> None:
    async with notifier_harness(infrastructure, vendor, datetime(2026, 12, 1, 22, 30, tzinfo=KST)) as h:
        arrivals = []
        for n in range(60):
            arrivals.append(await h.request(f"night-{n}"))
            h.clock.advance(timedelta(minutes=7))  # requests trickle in all night
            await h.sender.send_due()
        assert h.clock.now() < datetime(2026, 12, 2, 8, 0, tzinfo=KST)
        assert (await h.vendor_report())["requests"] == {}

        h.clock.set(datetime(2026, 12, 2, 8, 0, 0, tzinfo=KST))
        released_by: list[tuple[float, int]] = []
        for step in range(40):
            await h.sender.send_due()
            sent = {r["dedupe_key"] for r in await h.rows("SELECT dedupe_key FROM notifications WHERE status = 'sent'")}
            assert sent == set(arrivals[:len(sent)]), "whatever has been released is the oldest part of the backlog"
            released_by.append((step * 0.05, len(sent)))
            h.clock.advance(timedelta(seconds=0.05))

        for elapsed, count in released_by:
            assert count <= RATE * elapsed + 1, f"{count} released {elapsed:.2f}s after 08:00: faster than the rate"
        assert released_by[-1][1] == 60


async def test_a_simulated_day_and_two_nights_of_random_traffic_send_nothing_inside_the_window(
    infrastructure: Infrastructure, vendor: ServiceProcess
) -> None:
    rng = random.Random(2026)
    start = datetime(2026, 11, 30, 0, 0, tzinfo=KST)  # a Monday, midnight
    async with notifier_harness(infrastructure, vendor, start) as h:
        await h.vendor_behaves(failure_rate=0.1, rate_limit_next=5, retry_after_seconds=600)
        keys = []
        # From Monday 00:00 (inside the window) through its 08:00 release, the day, the 22:00 edge and the night
        # to Tuesday's 08:00 release: every edge is crossed (the window does not depend on the weekday).
        while h.clock.now() < start + timedelta(days=1, hours=9):
            if h.clock.now() < start + timedelta(days=1):
                for _ in range(rng.choice((0, 0, 1, 2))):
                    keys.append(await h.request(f"user-{rng.randrange(500)}"))
            # A real sender polls every fraction of a second: keep going while it finds work.
            for _ in range(100):
                if not await h.sender.send_due():
                    break
                h.clock.advance(timedelta(seconds=0.2))
            h.clock.advance(timedelta(minutes=rng.choice((3, 7, 10, 13))))

        attempts = await h.rows("SELECT at, verdict FROM notification_attempts")
        window = QuietHours()
        assert attempts and not [a for a in attempts if in_quiet_hours(a["at"], window)], \
            "no vendor call inside quiet hours"
        statuses = {r["status"] for r in await h.rows("SELECT status FROM notifications")}
        assert statuses <= {"sent", "dead"} and len(keys) > 100
        dashboard = await Dashboard(h.sessions, h.clock).snapshot()
        assert dashboard["quiet_hours_violations"] == 0
        assert dashboard["counts"]["sent"] + dashboard["counts"]["dead"] == len(keys)


async def test_a_backlog_whose_slots_passed_during_a_pause_is_still_released_at_the_rate(
    infrastructure: Infrastructure, vendor: ServiceProcess
) -> None:
    from notifier_service.application.pause_sending import PauseSending

    async with notifier_harness(infrastructure, vendor, datetime(2026, 12, 1, 23, 0, tzinfo=KST)) as h:
        keys = [await h.request(f"paused-{n}") for n in range(40)]
        await h.sender.send_due()
        ops = PauseSending(h.sessions, h.clock)
        await ops.pause("admin", "vendor incident overnight", until=None)
        h.clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=KST))  # every slot from 08:00 has passed
        await h.sender.send_due()
        await ops.resume("admin", "vendor is back")

        await h.sender.send_due()
        h.clock.advance(timedelta(seconds=0.1))
        await h.sender.send_due()
        sent = await h.rows("SELECT count(*) AS n FROM notifications WHERE status = 'sent'")
        assert sent[0]["n"] <= RATE * 0.1 + 1, "not the whole backlog at once"
        for _ in range(30):
            h.clock.advance(timedelta(seconds=0.1))
            await h.sender.send_due()
        assert {await h.status_of(k) for k in keys} == {"sent"}
