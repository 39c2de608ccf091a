"""The notification queue as the sender sees it (SPEC §5): pause state, quiet-hours holding and release
slots, claims and their release. SQL and PostgreSQL locking only; the rules are the sender's.

Release slots live in the database (`next_attempt_at` of held rows), so the arrival order and the release
rate hold across replicas; one advisory lock makes a single replica hand out slots at a time.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.models import Notification
from notifier_service.adapters.notification_store import of_no_cancelled_run
from notifier_service.adapters.sender_state import SenderStateStore
from notifier_service.adapters.templates import TemplateStore
from notifier_service.domain.claims import Claim, ClaimedRow
from notifier_service.domain.delivery import SENDABLE, Status
from notifier_service.domain.pause import pause_has_lapsed
from notifier_service.domain.release import backlog_off_schedule, first_free_slot, release_gap
from notifier_service.domain.wording import Templates
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.db.engine import any_of, rowcount
from platform_shared.messaging.policy_cache import current_policy

# Quiet hours' two bulk statements (runbook §6.2). The statuses are written into the text from the enum, not
# bound: with literals the planner can match the partial index ix_notifications_due on every execution.
_HOLD = f"""
                WITH locked AS (
                    SELECT id, received_at FROM notifications
                    WHERE status IN ('{Status.QUEUED}', '{Status.RETRYING}') AND next_attempt_at <= :release_from
                    FOR UPDATE SKIP LOCKED),
                due AS (SELECT id, row_number() OVER (ORDER BY received_at, id) - 1 AS n FROM locked)
                UPDATE notifications SET status = '{Status.HELD}',
                       next_attempt_at = CAST(:first_slot AS timestamptz) + due.n * make_interval(secs => :gap)
                FROM due WHERE notifications.id = due.id"""
_RESLOT = f"""
                WITH locked AS (
                    SELECT id, next_attempt_at, received_at FROM notifications WHERE status = '{Status.HELD}'
                    FOR UPDATE SKIP LOCKED),
                ordered AS (SELECT id, row_number() OVER (ORDER BY next_attempt_at, received_at, id) - 1 AS n
                            FROM locked)
                UPDATE notifications SET next_attempt_at = CAST(:now AS timestamptz)
                                                           + ordered.n * make_interval(secs => :gap)
                FROM ordered WHERE notifications.id = ordered.id"""

class SendQueue:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], worker_id: str, *, batch_size: int,
                 lease: timedelta) -> None:
        self._sessions = sessions
        self._worker_id = worker_id
        self._batch_size = batch_size
        self._lease = lease

    async def policy_and_templates(self) -> tuple[PolicyDocument, Templates]:
        """What a round needs to know, read once per round."""
        async with self._sessions() as session:
            _, policy = await current_policy(session)
            templates = await TemplateStore(session).bodies()
        return policy, templates

    async def hold(self, release_from: datetime, policy: PolicyDocument) -> int:
        """Give everything due by `release_from` a release slot from then on (after any slots already
        handed out), in arrival order, `1 / release_rate` seconds apart."""
        gap = release_gap(policy.release_rate_per_second)
        async with self._sessions.begin() as session:
            # One holder at a time, so two replicas never hand out the same slots.
            await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('notifier.hold'))"))
            last_slot = await session.scalar(select(func.max(Notification.next_attempt_at)).where(
                Notification.status == Status.HELD, Notification.next_attempt_at >= release_from))
            first_slot = first_free_slot(last_slot, release_from, gap)
            result = await session.execute(text(_HOLD),
                {"release_from": release_from, "first_slot": first_slot, "gap": gap.total_seconds()})
        return rowcount(result)

    async def reslot_off_schedule(self, now: datetime, policy: PolicyDocument) -> None:
        """Outside quiet hours: hand the held backlog its slots again from now when they no longer fit
        (domain/release.py says when), in the same order at the policy's rate."""
        async with self._sessions.begin() as session:
            earliest = await session.scalar(select(func.min(Notification.next_attempt_at)).where(
                Notification.status == Status.HELD))
            if not backlog_off_schedule(earliest, now):
                return
            await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('notifier.hold'))"))
            await session.execute(text(_RESLOT),
                {"now": now, "gap": release_gap(policy.release_rate_per_second).total_seconds()})

    async def releasing(self, now: datetime) -> bool:
        async with self._sessions() as session:
            return bool(await session.scalar(select(select(Notification.id).where(
                Notification.status == Status.HELD, Notification.next_attempt_at > now).exists())))

    async def paused(self, now: datetime) -> bool:
        async with self._sessions.begin() as session:
            state = await SenderStateStore(session).current()
            if state is None or not state.paused:
                return False
            if pause_has_lapsed(state.paused_until, now):
                state.paused, state.reason, state.changed_by, state.changed_at = False, "pause expired", "system", now
                return False
            return True

    async def claim(self, now: datetime) -> Claim:
        lease_until = now + self._lease
        async with self._sessions.begin() as session:
            due = (select(Notification.id).where(or_(
                Notification.status.in_(SENDABLE) & (Notification.next_attempt_at <= now),
                (Notification.status == Status.SENDING) & (Notification.claimed_until < now),  # its sender died
            ), of_no_cancelled_run())
                .order_by(Notification.next_attempt_at, Notification.received_at, Notification.id)
                .limit(self._batch_size).with_for_update(skip_locked=True))
            # Plain rows, not ORM objects: the round needs these columns only, and it is the hot path.
            return Claim([ClaimedRow._make(row) for row in (await session.execute(
                update(Notification).where(Notification.id.in_(due.scalar_subquery()))
                .values(status=Status.SENDING, claimed_by=self._worker_id, claimed_until=lease_until,
                        attempts=Notification.attempts + 1)
                .returning(Notification.id, Notification.dedupe_key, Notification.user_id, Notification.template,
                           Notification.params, Notification.run_id, Notification.locale, Notification.channel)
                .execution_options(synchronize_session=False))).all()], lease_until)

    async def put_back(self, claim: Claim) -> None:
        async with self._sessions.begin() as session:
            await session.execute(update(Notification).where(
                any_of(Notification.id, [n.id for n in claim.rows]), Notification.claimed_by == self._worker_id,
                Notification.claimed_until == claim.lease_until, Notification.status == Status.SENDING).values(
                status=Status.QUEUED, attempts=Notification.attempts - 1, claimed_by=None, claimed_until=None))
