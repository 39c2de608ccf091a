"""The notifier's send queue kept in memory, for the unit tier: `MemoryClaimQueue` and `MemoryOutcomes`
implement the sender round's `ClaimQueue` and `OutcomeStore` protocols (notifier_service/application/ports.py)
with a dict of rows, keeping the contract `SendQueue` and `OutcomeRecorder` keep in SQL and sharing no code with
them, so no call can reach SQL from here; the rules (release slots, the pause's end, retry or dead) are the
domain's, as in SQL. `SendRound` runs unchanged on top of them.

What this tier checks is the rules and the wiring, not PostgreSQL: one round at a time (in the service, SKIP
LOCKED claims and the hold's advisory lock keep replicas apart). Rows are replaced, never changed in place."""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from uuid import UUID

from notifier_service.application.ports import ClaimQueue, OutcomeStore, Vendor
from notifier_service.application.send_round import SenderConfig, SendRound
from notifier_service.domain.claims import Claim, ClaimedRow
from notifier_service.domain.delivery import SENDABLE, AttemptResult, Status, Verdict, retry_at
from notifier_service.domain.links import AnswerLinks
from notifier_service.domain.notifications import OFFER_TEMPLATES, NewNotification
from notifier_service.domain.pause import pause_has_lapsed
from notifier_service.domain.release import backlog_off_schedule, first_free_slot, release_gap
from notifier_service.domain.wording import Templates
from platform_shared.contracts import topics
from platform_shared.contracts.events import (
    AttemptRecord,
    NotificationDeadLettered,
    NotificationDelivered,
    NotificationUndeliverable,
)
from platform_shared.contracts.policy import PolicyDocument, policy_defaults
from platform_shared.time.clock import Clock
from tests.memory_units import Ledger


@dataclass(frozen=True)
class MemoryNotification(NewNotification):
    id: int
    next_attempt_at: datetime
    attempts: int = 0
    claimed_by: str | None = None
    claimed_until: datetime | None = None
    last_error: str | None = None
    sent_at: datetime | None = None

    def claimed(self) -> ClaimedRow:
        return ClaimedRow(self.id, self.dedupe_key, self.user_id, self.template, self.params, self.run_id,
                          self.locale, self.channel)


@dataclass(frozen=True)
class MemoryAttempt:
    notification_id: int
    attempt: int
    at: datetime
    verdict: Verdict
    reason: str


@dataclass
class NotifierState(Ledger):
    policy: PolicyDocument = field(default_factory=policy_defaults)
    templates: dict[tuple[str, str], str] = field(default_factory=dict)
    notifications: dict[int, MemoryNotification] = field(default_factory=dict)
    attempts: list[MemoryAttempt] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)
    """The dedupe keys of the sender's dead letters (consumer group `notifier.sender`), in order."""
    cancelled_runs: set[UUID] = field(default_factory=set)
    paused: bool = False
    paused_until: datetime | None = None

    def add(self, notifications: Iterable[NewNotification]) -> None:
        """In the given order, once per dedupe key; due as soon as they are here."""
        known = {n.dedupe_key for n in self.notifications.values()}
        for new in notifications:
            if new.dedupe_key not in known:
                known.add(new.dedupe_key)
                row_id = len(self.notifications) + 1
                self.notifications[row_id] = MemoryNotification(**vars(new), id=row_id,
                                                                next_attempt_at=new.received_at)

    def put(self, notification: MemoryNotification) -> None:
        self.notifications[notification.id] = notification

    def in_order(self, statuses: Iterable[Status], by_slot: bool = True) -> list[MemoryNotification]:
        """Of these statuses, oldest slot first (or in arrival order), as the SQL statements order them."""
        wanted = set(statuses)
        rows = [n for n in self.notifications.values() if n.status in wanted]
        return sorted(rows, key=lambda n: (n.next_attempt_at, n.received_at, n.id) if by_slot
                      else (n.received_at, n.id))


class MemoryClaimQueue:
    def __init__(self, state: NotifierState, worker_id: str, *, batch_size: int, lease: timedelta) -> None:
        self._state, self._worker_id, self._batch_size, self._lease = state, worker_id, batch_size, lease

    async def policy_and_templates(self) -> tuple[PolicyDocument, Templates]:
        return self._state.policy, dict(self._state.templates)

    async def hold(self, release_from: datetime, policy: PolicyDocument) -> int:
        gap = release_gap(policy.release_rate_per_second)
        handed_out = [n.next_attempt_at for n in self._state.in_order([Status.HELD])
                      if n.next_attempt_at >= release_from]
        first_slot = first_free_slot(max(handed_out, default=None), release_from, gap)
        due = [n for n in self._state.in_order([Status.QUEUED, Status.RETRYING], by_slot=False)
               if n.next_attempt_at <= release_from]
        for place, notification in enumerate(due):
            self._state.put(replace(notification, status=Status.HELD, next_attempt_at=first_slot + place * gap))
        return len(due)

    async def reslot_off_schedule(self, now: datetime, policy: PolicyDocument) -> None:
        held = self._state.in_order([Status.HELD])
        if not backlog_off_schedule(held[0].next_attempt_at if held else None, now):
            return
        gap = release_gap(policy.release_rate_per_second)
        for place, notification in enumerate(held):
            self._state.put(replace(notification, next_attempt_at=now + place * gap))

    async def releasing(self, now: datetime) -> bool:
        return any(n.next_attempt_at > now for n in self._state.in_order([Status.HELD]))

    async def paused(self, now: datetime) -> bool:
        if self._state.paused and pause_has_lapsed(self._state.paused_until, now):
            self._state.paused = False
        return self._state.paused

    async def claim(self, now: datetime) -> Claim:
        lease_until = now + self._lease
        due = [n for n in self._state.in_order([*SENDABLE, Status.SENDING])
               if n.run_id not in self._state.cancelled_runs
               and (n.next_attempt_at <= now if n.status != Status.SENDING
                    else n.claimed_until is not None and n.claimed_until < now)][:self._batch_size]
        claimed = [replace(n, status=Status.SENDING, claimed_by=self._worker_id, claimed_until=lease_until,
                           attempts=n.attempts + 1) for n in due]
        for notification in claimed:
            self._state.put(notification)
        return Claim([n.claimed() for n in claimed], lease_until)

    async def put_back(self, claim: Claim) -> None:
        for row in claim.rows:
            notification = self._state.notifications[row.id]
            if _still_claimed(notification, self._worker_id, claim.lease_until):
                self._state.put(replace(notification, status=Status.QUEUED, attempts=notification.attempts - 1,
                                        claimed_by=None, claimed_until=None))


class MemoryOutcomes:
    def __init__(self, state: NotifierState, clock: Clock, worker_id: str, rng: random.Random) -> None:
        self._state, self._clock, self._worker_id, self._rng = state, clock, worker_id, rng

    async def record(self, results: dict[int, AttemptResult], run_ids: set[UUID | None], policy: PolicyDocument,
                     lease_until: datetime) -> None:
        now, state = self._clock.now(), self._state
        for row_id, result in results.items():
            notification = state.notifications[row_id]
            if not _still_claimed(notification, self._worker_id, lease_until):
                continue  # taken over: the new claim's outcome counts
            state.attempts.append(MemoryAttempt(row_id, notification.attempts, now, result.verdict, result.reason))
            released = replace(notification, claimed_by=None, claimed_until=None, last_error=result.reason)
            cancelled = notification.run_id in state.cancelled_runs
            if result.verdict == Verdict.SENT:
                state.put(replace(released, status=Status.SENT, sent_at=now, last_error=None))
                self._delivered(notification, now)
            elif cancelled:
                state.put(replace(released, status=Status.CANCELLED))
            elif (again := retry_at(result, notification.attempts, policy.retry, now, self._rng)) is not None:
                state.put(replace(released, status=Status.RETRYING, next_attempt_at=again))
            else:
                state.put(replace(released, status=Status.DEAD))
                self._dead(notification, result.reason, now)

    def _delivered(self, notification: MemoryNotification, now: datetime) -> None:
        if notification.run_id is None:
            return
        if notification.template in OFFER_TEMPLATES:  # also for a run rolled back meanwhile: it went out
            self._state.published.append((topics.NOTIFICATION_DELIVERED, NotificationDelivered(
                occurred_at=now, dedupe_key=notification.dedupe_key, user_id=notification.user_id,
                template=notification.template, run_id=notification.run_id, delivered_at=now)))

    def _dead(self, notification: MemoryNotification, reason: str, now: datetime) -> None:
        self._state.letters.append(notification.dedupe_key)
        attempts = [a for a in self._state.attempts if a.notification_id == notification.id]
        self._state.published.append((topics.DEAD_LETTER, NotificationDeadLettered(
            occurred_at=now, dedupe_key=notification.dedupe_key, user_id=notification.user_id,
            template=notification.template, run_id=notification.run_id, reason=reason,
            attempts=tuple(AttemptRecord(attempt=a.attempt, at=a.at, verdict=a.verdict, reason=a.reason)
                           for a in attempts))))
        if notification.run_id is not None and notification.template in OFFER_TEMPLATES:
            self._state.published.append((topics.NOTIFICATION_UNDELIVERABLE, NotificationUndeliverable(
                occurred_at=now, run_id=notification.run_id, dedupe_key=notification.dedupe_key,
                user_id=notification.user_id, template=notification.template, failed_at=now)))


def _still_claimed(notification: MemoryNotification, worker_id: str, lease_until: datetime) -> bool:
    return (notification.status == Status.SENDING and notification.claimed_by == worker_id
            and notification.claimed_until == lease_until)


_IS_A_CLAIM_QUEUE: type[ClaimQueue] = MemoryClaimQueue  # mypy: no method missing, none mistyped
_IS_AN_OUTCOME_STORE: type[OutcomeStore] = MemoryOutcomes


def memory_send_round(state: NotifierState, clock: Clock, vendor: Vendor, config: SenderConfig,
                      rng: random.Random, links: AnswerLinks | None = None,
                      worker_id: str = "memory-sender", email: Vendor | None = None) -> SendRound:
    """The sender's round on `state`, as the service runs it on its database (`email`: the e-mail channel)."""
    return SendRound(MemoryClaimQueue(state, worker_id, batch_size=config.batch_size, lease=config.lease),
                     MemoryOutcomes(state, clock, worker_id, rng), clock, vendor, config, worker_id, links, email)
