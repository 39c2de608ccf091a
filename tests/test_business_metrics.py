"""The business metrics move with the business (issue 14): scraped from the running services before and after
a draw → offers → notifications, a manual promotion pass and a malformed event."""

import asyncio
from datetime import timedelta
from uuid import uuid4

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from platform_deploy.infra import Infrastructure
from platform_deploy.scenario import play_draw, wait_for_rows
from platform_deploy.services import Fleet
from platform_shared.contracts import topics
from platform_shared.time.clock import KST, OffsetClock
from tests.support import eventually, ok, producer

pytestmark = pytest.mark.integration

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(fleet: Fleet, service: str) -> Samples:
    text = httpx.get(f"{fleet[service].base_url}/metrics", timeout=30).text
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_a_draw_a_promotion_and_a_poison_event_move_the_business_metrics(
        fleet: Fleet, infrastructure: Infrastructure) -> None:
    before = {service: scrape(fleet, service) for service in ("lottery", "waitlist", "notifier")}

    outcome = await asyncio.to_thread(play_draw, fleet, entrants=10, seats=3, waitlist_size=2)
    await asyncio.to_thread(wait_for_rows, fleet["notifier"].base_url,
                            f"/notifications?run_id={outcome.run['id']}&status=sent", 3, 60)
    async with httpx.AsyncClient(base_url=fleet["waitlist"].base_url, auth=fleet.operator(), timeout=30) as ops:
        ok(await ops.post(f"/runs/{outcome.run['id']}/promote"))
    async with producer(infrastructure) as send:
        await send(topics.DRAW_COMPLETED, f'{{"broken": "{uuid4()}"'.encode(), key=b"metrics")

    lottery = scrape(fleet, "lottery")
    for step in ("draw_prepare_seconds_count", "draw_execute_seconds_count"):
        assert value(lottery, step) == value(before["lottery"], step) + 1, step
    waitlist = await eventually(
        lambda: asyncio.to_thread(scrape, fleet, "waitlist"),
        lambda s: value(s, "dead_letters", topic="draw_completed", reason="ValidationError")
        == value(before["waitlist"], "dead_letters", topic="draw_completed", reason="ValidationError") + 1,
        what="the malformed event counted among the dead letters")
    passes = "promotion_pass_seconds_count"
    assert value(waitlist, passes) >= value(before["waitlist"], passes) + 1
    assert value(waitlist, "consumer_paused", group="waitlist") == 0
    assert ("consumer_lag", (("group", "waitlist"),)) in waitlist
    # Database-backed gauges are read at most every 5 s: wait for a scrape that saw the sends.
    notifier = await eventually(
        lambda: asyncio.to_thread(scrape, fleet, "notifier"),
        lambda s: value(s, "notifications", status="sent") >= value(before["notifier"], "notifications",
                                                                    status="sent") + 3,
        timeout=30, what="the notifier's gauges refreshed after the sends")
    sent_before = value(before["notifier"], "vendor_outcomes_total", verdict="sent")
    assert value(notifier, "vendor_outcomes_total", verdict="sent") >= sent_before + 3
    assert value(notifier, "vendor_call_seconds_count") > value(before["notifier"], "vendor_call_seconds_count")
    assert value(notifier, "quiet_hours_violations") == 0 and value(notifier, "enqueue_success_ratio") > 0.9
    versions = {value(samples, "policy_version") for samples in (lottery, waitlist, notifier)}
    assert len(versions) == 1 and versions.pop() >= 1, "every service on the same, published policy"
    assert all(value(samples, "metrics_refresh_ok") == 1 for samples in (lottery, waitlist, notifier))
    assert ("outbox_backlog", ()) in lottery and ("outbox_oldest_unpublished_seconds", ()) in lottery


def test_every_series_an_alert_reads_exists_from_start_up(fleet: Fleet) -> None:
    """`dead_letters_kept` for each topic a service reads, and each vendor verdict, before anything happened to
    them: an alert over delta() or rate() cannot see a series appear from nothing (alerts_test.yml)."""
    notifier, waitlist = scrape(fleet, "notifier"), scrape(fleet, "waitlist")
    for topic in (topics.NOTIFICATION_REQUESTED, topics.DRAW_ROLLED_BACK, "notifications"):
        assert ("dead_letters_kept", (("topic", topic),)) in notifier, topic
    assert ("dead_letters_kept", (("topic", topics.DRAW_COMPLETED),)) in waitlist
    for verdict in ("sent", "transient", "permanent"):
        assert ("vendor_outcomes_total", (("verdict", verdict),)) in notifier, verdict


async def test_a_paused_queue_shows_on_metrics_and_first_on_the_dashboard(fleet: Fleet, clock: OffsetClock) -> None:
    until = (clock.now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    reason = "checking the vendor's template settings"
    async with httpx.AsyncClient(base_url=fleet["notifier"].base_url, auth=fleet.operator(), timeout=30) as ops:
        try:
            ok(await ops.post("/sending/pause", json={"reason": reason, "paused_until": until.isoformat()}))
            paused = await eventually(lambda: asyncio.to_thread(scrape, fleet, "notifier"),
                                      lambda s: value(s, "notifications_sending_paused") == 1,
                                      timeout=30, what="the pause on /metrics")
            assert value(paused, "notifications_sending_paused_until_seconds") == until.timestamp()
            shown_until = until.astimezone(KST).strftime("%Y-%m-%d %H:%M KST")
            assert value(paused, "notifications_sending_pause_info", reason=reason, until=shown_until) == 1
            dashboard = ok(await ops.get("/dashboard"))
            first = next(iter(dashboard))
            assert first == "sending" and dashboard["sending"]["paused"] is True
            assert dashboard["sending"]["reason"] == reason
        finally:
            ok(await ops.post("/sending/resume", json={"reason": "settings checked"}))
        resumed = await eventually(lambda: asyncio.to_thread(scrape, fleet, "notifier"),
                                   lambda s: value(s, "notifications_sending_paused") == 0,
                                   timeout=30, what="the resume on /metrics")
        assert value(resumed, "notifications_sending_paused_until_seconds") == 0
        assert not [key for key in resumed if key[0] == "notifications_sending_pause_info"], "no pause, no info"
