"""The notifier's business metrics (seed §6): the dashboard's figures as gauges, refreshed at each
scrape, and every vendor call's latency and outcomes, observed as they happen."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from notifier_service.adapters.models import Notification
from notifier_service.application.dashboard import snapshot
from notifier_service.domain.delivery import Status, Verdict
from platform_shared.time.clock import KST, Clock

NOTIFICATIONS = Gauge("notifications", "Notifications by status", ["status"])
HELD_OLDEST = Gauge("notifications_held_oldest_seconds", "How long the oldest notification held for quiet hours "
                    "has waited (0: none held)")
QUIET_HOURS_VIOLATIONS = Gauge("quiet_hours_violations", "Sends whose vendor call fell inside quiet hours (must "
                               "stay 0)")
ENQUEUE_SUCCESS = Gauge("enqueue_success_ratio", "Notification requests stored, over those stored or "
                        "dead-lettered at intake (seed §6: alert below 0.98)")
SENDING_PAUSED = Gauge("notifications_sending_paused", "1 while ops hold sending paused (runbook §6.3), else 0")
SENDING_PAUSED_UNTIL = Gauge("notifications_sending_paused_until_seconds", "When the pause in force ends by itself, "
                             "as Unix time (0: not paused, or paused until resumed)")
SENDING_PAUSE = Gauge("notifications_sending_pause_info", "1 for the pause in force, its reason and end as labels "
                      "(one series at most: none while sending)", ["reason", "until"])
REASON_LABEL_CHARS = 80
"""An operator's reason is free text: cut to keep the label readable in a panel and a page."""
VENDOR_CALL_SECONDS = Histogram("vendor_call_seconds", "One call to the message vendor, start to answer",
                                buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30))
VENDOR_OUTCOMES = Counter("vendor_outcomes", "Vendor answers per message, by verdict", ["verdict"])
EMAIL_OUTCOMES = Counter("notifier_email_outcomes", "Mail server answers per e-mail notice, by verdict (a missing "
                         "address counts as permanent)", ["verdict"])
EMAIL_NO_ADDRESS = Counter("notifier_email_no_address", "E-mail notifications undeliverable: the user has no "
                           "address in the contact book")
VENDOR_UP = Gauge("notifier_vendor_up", "1 if the last probe found the messaging vendor healthy, else 0 (runbook "
                  "§6.3)")
VENDOR_PROBE_FAILURES = Counter("notifier_vendor_probe_failures", "Probes of the messaging vendor that failed")
for _verdict in Verdict:  # at 0 from start-up: a rate over a series that appears from nothing misses its start
    VENDOR_OUTCOMES.labels(_verdict.value)
    EMAIL_OUTCOMES.labels(_verdict.value)


def refresher(clock: Clock) -> Callable[[AsyncSession], Awaitable[None]]:
    async def refresh(session: AsyncSession) -> None:
        figures = await snapshot(session)
        for status, count in figures["counts"].items():
            NOTIFICATIONS.labels(status).set(count)
        QUIET_HOURS_VIOLATIONS.set(figures["quiet_hours_violations"])
        show_pause(figures["sending"])
        ENQUEUE_SUCCESS.set(figures["enqueue_success_rate"])
        oldest = await session.scalar(select(func.min(Notification.received_at))
                                      .where(Notification.status == Status.HELD))
        # `received_at` is stamped by the service clock at intake, so the age is taken by the same clock.
        HELD_OLDEST.set(max((clock.now() - oldest).total_seconds(), 0.0) if oldest is not None else 0.0)

    return refresh


def show_pause(sending: dict[str, Any]) -> None:
    """The stored switch as the sender rounds read it: a pause still stored past its end is shown as it is (the
    alert NotificationsPausedPastEnd is for exactly that). The info series is replaced, never accumulated."""
    until: datetime | None = sending["paused_until"] if sending["paused"] else None
    SENDING_PAUSED.set(1 if sending["paused"] else 0)
    SENDING_PAUSED_UNTIL.set(until.timestamp() if until is not None else 0)
    SENDING_PAUSE.clear()
    if sending["paused"]:
        reason = (sending["reason"] or "")[:REASON_LABEL_CHARS]
        SENDING_PAUSE.labels(reason, until.astimezone(KST).strftime("%Y-%m-%d %H:%M KST") if until else "").set(1)
