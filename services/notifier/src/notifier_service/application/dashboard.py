"""Dashboard data (SPEC §5): whether sending is paused, counts by status, top failure reasons, enqueue success
rate, quiet-hours violations (must be 0), release backlog, whether quiet hours hold now (seed §6.2), and the
messaging vendor's state (runbook §6.3)."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.models import Attempt, Notification
from notifier_service.adapters.sender_state import SenderStateStore
from notifier_service.domain.delivery import Status, Verdict
from platform_shared.contracts import topics
from platform_shared.messaging.policy_cache import current_policy
from platform_shared.messaging.tables import DeadLetterRecord
from platform_shared.time.clock import Clock
from platform_shared.time.quiet_hours import in_quiet_hours, next_deliverable


class Dashboard:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock,
                 vendor: Callable[[], dict[str, Any]] | None = None) -> None:
        """`vendor`: the vendor's status as its probe round keeps it (application/vendor_watch.py), shown as
        the `vendor` block (runbook §6.3)."""
        self._sessions, self._clock, self._vendor = sessions, clock, vendor

    async def snapshot(self) -> dict[str, Any]:
        async with self._sessions() as session:
            figures = await snapshot(session)
            _, policy = await current_policy(session)
        # By the notifier's own clock, the one its sender holds messages by (never the database's now()).
        now, window = self._clock.now(), policy.quiet_hours
        quiet = in_quiet_hours(now, window)
        return {**figures, "quiet_hours": {
            "start": window.start.strftime("%H:%M"), "end": window.end.strftime("%H:%M"),
            "time_zone": window.time_zone, "now": quiet, "ends_at": next_deliverable(now, window) if quiet else None},
            "vendor": self._vendor() if self._vendor is not None else None}


async def snapshot(session: AsyncSession) -> dict[str, Any]:
    """The dashboard's figures, read in the caller's session (the dashboard route and `/metrics`)."""
    _, policy = await current_policy(session)
    by_status = dict((await session.execute(
        select(Notification.status, func.count()).group_by(Notification.status))).all())
    reasons = (await session.execute(
        select(Attempt.reason, func.count().label("n")).where(Attempt.verdict != Verdict.SENT)
        .group_by(Attempt.reason).order_by(func.count().desc()).limit(5))).all()
    window = policy.quiet_hours
    # Sends whose vendor call happened inside the window, in the window's own time zone.
    violations = await session.scalar(text("""
        SELECT count(*) FROM notification_attempts
        WHERE verdict = 'sent' AND CASE WHEN CAST(:start AS time) < CAST(:end AS time)
            THEN (at AT TIME ZONE :zone)::time >= :start AND (at AT TIME ZONE :zone)::time < :end
            ELSE (at AT TIME ZONE :zone)::time >= :start OR (at AT TIME ZONE :zone)::time < :end END"""),
        {"zone": window.time_zone, "start": window.start, "end": window.end})
    intake_failures = await session.scalar(select(func.count()).select_from(DeadLetterRecord).where(
        DeadLetterRecord.original_topic == topics.NOTIFICATION_REQUESTED))
    counts = {status.value: int(by_status.get(status.value, 0)) for status in Status}
    stored = sum(counts.values())
    failed = counts[Status.RETRYING] + counts[Status.DEAD]
    state = await SenderStateStore(session).current()
    assert state is not None, "seeded by the first migration"
    return {
        # First: a paused queue explains every other figure (runbook §6.3), so it is the first thing read.
        "sending": {"paused": state.paused, "paused_until": state.paused_until, "reason": state.reason,
                    "changed_by": state.changed_by, "changed_at": state.changed_at},
        "counts": {**counts, "failed": failed},
        "held_for_quiet_hours": counts[Status.HELD],
        "release_backlog": counts[Status.HELD],
        "top_failure_reasons": [{"reason": r, "count": int(n)} for r, n in reasons],
        "enqueue_success_rate": 1.0 if stored + (intake_failures or 0) == 0
        else stored / (stored + (intake_failures or 0)),
        "quiet_hours_violations": int(violations or 0),
    }
