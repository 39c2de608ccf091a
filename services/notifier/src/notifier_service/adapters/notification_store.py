"""The notifier's storage for its queue outside the send path (SPEC §5): notifications going in once per
dedupe key, a rolled-back run's cancellation, a resend's segment, and the per-run lock. SQL and PostgreSQL
locking live here; the use cases (application/: accepting requests, cancelling a run, resend) and the outcome
recorder load through it, let the rules in domain/ decide, and store through it, all in the caller's
transaction.

The sender's own view of the same table (hold, claim, put back) is `send_queue.py`: it owns its
transactions and its worker's claims, while this store only ever joins the caller's.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, and_, exists, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from notifier_service.adapters.models import CancelledRun, Notification
from notifier_service.domain.delivery import UNSENT, Status
from notifier_service.domain.notifications import NewNotification
from notifier_service.domain.resend import Segment
from platform_shared.db.engine import any_of, rowcount


def of_no_cancelled_run() -> ColumnElement[bool]:
    """Notifications of no rolled-back run: those never go out, and a resend never revives them."""
    return ~exists().where(CancelledRun.run_id == Notification.run_id)


class NotificationStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock_runs(self, run_ids: Iterable[UUID | None]) -> None:
        """Serialise, per draw run, intake, recording a send and cancelling: without it a rollback could
        miss a notification that is being marked sent at that moment, and its user never be corrected."""
        for run_id in sorted({str(r) for r in run_ids if r is not None}):  # one order everywhere: no deadlock
            await self._session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"run:{run_id}"})

    async def cancelled_runs(self, run_ids: Iterable[UUID | None]) -> set[UUID]:
        """Which of these runs were rolled back. Read it under `lock_runs`: then no rollback of them can
        commit before the caller's transaction does, and the answer holds until then."""
        wanted = list({r for r in run_ids if r is not None})
        if not wanted:
            return set()
        return set((await self._session.scalars(select(CancelledRun.run_id).where(
            any_of(CancelledRun.run_id, wanted)))).all())

    async def add(self, notifications: Sequence[NewNotification]) -> None:
        """In the given order; a dedupe key already in the queue is a no-op, so a redelivered event or a
        second rollback notice for the same user adds nothing."""
        if notifications:
            once_per_key = insert(Notification).on_conflict_do_nothing(index_elements=[Notification.dedupe_key])
            await self._session.execute(once_per_key, [n.as_row() for n in notifications])

    async def remember_cancelled(self, run_id: UUID, reason: str) -> None:
        """Kept for good: requests for the run that arrive later are stored cancelled, and none is resent."""
        await self._session.execute(insert(CancelledRun).values(run_id=run_id, reason=reason)
                                    .on_conflict_do_nothing())

    async def cancel_unsent(self, run_id: UUID) -> None:
        """What is being sent right now is left to its sender, which sees the cancelled run when it records."""
        await self._session.execute(update(Notification).where(
            Notification.run_id == run_id, Notification.status.in_(UNSENT)).values(status=Status.CANCELLED))

    async def count(self, segment: Segment) -> int:
        return await self._session.scalar(select(func.count()).select_from(Notification).where(
            _covered_by(segment))) or 0

    async def requeue(self, segment: Segment, now: datetime) -> int:
        """Queue the segment again as if new: due now, a whole retry budget, no claim left on it."""
        return rowcount(await self._session.execute(update(Notification).where(_covered_by(segment)).values(
            status=Status.QUEUED, attempts=0, next_attempt_at=now, last_error=None, claimed_by=None,
            claimed_until=None)))


def _covered_by(segment: Segment) -> ColumnElement[bool]:
    parts = [Notification.status.in_(segment.covered_statuses),
             of_no_cancelled_run()]  # never revive a rolled-back draw's offers
    if segment.template:
        parts.append(Notification.template == segment.template)
    if segment.campaign_id:
        parts.append(Notification.campaign_id == segment.campaign_id)
    if segment.run_id:
        parts.append(Notification.run_id == segment.run_id)
    if segment.received_from:
        parts.append(Notification.received_at >= segment.received_from)
    if segment.received_to:
        parts.append(Notification.received_at < segment.received_to)
    return and_(*parts)
