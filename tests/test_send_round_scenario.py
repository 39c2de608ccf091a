"""The sender's round through quiet hours (runbook §6.2, §6.3), through the use case
(notifier_service/application/send_round.py): a request due at 23:10 KST is held; nothing is sent during quiet
hours; at 08:00 KST each held notification goes out in its release slot, in arrival order, once; a notification
the vendor keeps failing is retried with backoff, then dead with its dead letter after the policy's maximum.
One scenario, run twice: in memory (tests/memory_notifier.py) and on a PostgreSQL database of its own. The vendor
is the outside world, so it is an in-process stub in both; the outcomes are read from state."""

import json
import random
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, time, timedelta
from typing import Protocol

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.dead_notifications import SENDER_GROUP
from notifier_service.adapters.vendor import OutgoingMessage
from notifier_service.application.accept_request import accept_requests
from notifier_service.application.send_round import Sender, SenderConfig, SendRound
from notifier_service.domain.delivery import AttemptResult, Verdict
from notifier_service.domain.notifications import requested
from notifier_service.domain.release import release_gap
from notifier_service.domain.template_preview import sample_params
from notifier_service.main import MIGRATIONS
from platform_deploy.infra import Infrastructure
from platform_shared.contracts import topics
from platform_shared.contracts.events import NotificationDeadLettered, NotificationRequested, TemplateName
from platform_shared.contracts.policy import policy_defaults
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.time.clock import KST, FixedClock
from tests.memory_notifier import NotifierState, memory_send_round
from tests.support import fetch, fresh_database

NIGHT = datetime(2031, 3, 3, 23, 10, tzinfo=KST)
MORNING = datetime(2031, 3, 4, 8, 0, tzinfo=KST)
"""The end of the default quiet hours (22:00–08:00 KST) after NIGHT."""
CONFIG = SenderConfig(batch_size=10, concurrency=1, lease=timedelta(seconds=30), poll_seconds=0.05, vendor_batch=10,
                      call_timeout=timedelta(seconds=5))
TEMPLATE: TemplateName = "INCIDENT_NOTICE"
BODY = "[Notice] (${notice_time}) Affected: ${affected}. Period: ${period}. What we did: ${action}. Retry: ${retry}"
"""In the memory world; the database's is as the notifier's migrations seed it (0008)."""

Queue = dict[str, tuple[str, datetime]]
"""dedupe key → (status, next attempt or release slot)"""


class StubVendor:
    """The vendor, in process: takes every message but those of the keys in `failing` (a 503, worth a retry),
    and remembers each one it was given, with the time by the fleet's clock."""

    def __init__(self, clock: FixedClock) -> None:
        self._clock = clock
        self.calls: list[tuple[str, datetime]] = []
        self.failing: set[str] = set()

    async def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[AttemptResult]:
        self.calls += [(message.dedupe_key, self._clock.now()) for message in messages]
        return [AttemptResult(Verdict.TRANSIENT, "503 vendor error", http_status=503)
                if message.dedupe_key in self.failing else AttemptResult(Verdict.SENT, "sent", http_status=200)
                for message in messages]


class SendWorld(Protocol):
    clock: FixedClock
    vendor: StubVendor
    sender: SendRound

    async def request(self, key: str) -> None:
        """A notification request arriving now (by the clock)."""
        ...

    async def queue(self) -> Queue: ...

    async def letters(self) -> list[str]:
        """The dedupe keys of the sender's dead letters, in order (what ops redrive)."""
        ...

    async def dead_lettered(self) -> list[tuple[str, int]]:
        """(dedupe key, attempts listed) of each `notification_dead_lettered` published, in order."""
        ...


def request_of(key: str, clock: FixedClock) -> NotificationRequested:
    return NotificationRequested(occurred_at=clock.now(), dedupe_key=key, user_id=f"user-{key}", template=TEMPLATE,
                                 params=sample_params(TEMPLATE))


async def scenario(world: SendWorld) -> None:
    clock, vendor, sender = world.clock, world.vendor, world.sender
    retry, gap = policy_defaults().retry, release_gap(policy_defaults().release_rate_per_second)
    vendor.failing.add("failing")
    await world.request("fine")
    await world.request("failing")

    assert await sender.send_due() == 0
    assert await world.queue() == {"fine": ("held", MORNING), "failing": ("held", MORNING + gap)}, \
        "held for quiet hours, each in its release slot from 08:00, in arrival order"
    for instant in (datetime(2031, 3, 4, 3, 0, tzinfo=KST), MORNING - timedelta(seconds=1)):
        clock.set(instant)
        assert await sender.send_due() == 0
    assert vendor.calls == [], "nothing sent during quiet hours"

    clock.set(MORNING)
    assert await sender.send_due() == 1, "at 08:00 only the first slot is due"
    assert vendor.calls == [("fine", MORNING)]
    clock.set(MORNING + timedelta(seconds=1))
    assert await sender.send_due() == 1, "the second slot, once it has come"
    queue = await world.queue()
    assert queue["fine"][0] == "sent"
    status, next_attempt = queue["failing"]
    assert status == "retrying"
    assert timedelta(seconds=retry.base_delay_seconds * (1 - retry.jitter_ratio)) <= next_attempt - clock.now() \
        <= timedelta(seconds=retry.base_delay_seconds * (1 + retry.jitter_ratio)), "backoff from the policy"

    for _ in range(retry.max_attempts - 1):
        assert await sender.send_due() == 0, "not before its backoff"
        clock.advance(timedelta(hours=1))
        assert await sender.send_due() == 1
    assert {key: status for key, (status, _) in (await world.queue()).items()} == {"fine": "sent", "failing": "dead"}
    assert await world.letters() == ["failing"]
    assert await world.dead_lettered() == [("failing", retry.max_attempts)]

    clock.advance(timedelta(hours=1))
    assert await sender.send_due() == 0, "a dead notification waits for ops' redrive"
    assert [key for key, _ in vendor.calls] == ["fine"] + ["failing"] * retry.max_attempts, "each sent once"
    assert all(time(8) <= at.astimezone(KST).time() < time(22) for _, at in vendor.calls)


async def test_the_send_round_through_quiet_hours_in_memory() -> None:
    clock = FixedClock(NIGHT)
    vendor, state = StubVendor(clock), NotifierState(templates={(TEMPLATE, "ko"): BODY})
    await scenario(MemorySend(clock, vendor, memory_send_round(state, clock, vendor, CONFIG, random.Random(7)),
                              state))


@pytest.mark.integration
async def test_the_send_round_through_quiet_hours_on_postgresql(infrastructure: Infrastructure) -> None:
    async with SqlSend.running(infrastructure) as world:
        await scenario(world)


class MemorySend:
    def __init__(self, clock: FixedClock, vendor: StubVendor, sender: SendRound, state: NotifierState) -> None:
        self.clock, self.vendor, self.sender, self._state = clock, vendor, sender, state

    async def request(self, key: str) -> None:
        self._state.add([requested(request_of(key, self.clock), self.clock.now(), self._state.cancelled_runs)])

    async def queue(self) -> Queue:
        return {n.dedupe_key: (n.status.value, n.next_attempt_at) for n in self._state.notifications.values()}

    async def letters(self) -> list[str]:
        return list(self._state.letters)

    async def dead_lettered(self) -> list[tuple[str, int]]:
        return [(event.dedupe_key, len(event.attempts)) for topic, event in self._state.published
                if topic == topics.DEAD_LETTER and isinstance(event, NotificationDeadLettered)]


class SqlSend:
    """The round on its own PostgreSQL database (no service runs on it, so nothing leaves its outbox)."""

    def __init__(self, clock: FixedClock, vendor: StubVendor, sender: SendRound,
                 sessions: async_sessionmaker[AsyncSession], database: str) -> None:
        self.clock, self.vendor, self.sender, self._sessions, self._database = clock, vendor, sender, sessions, database

    @classmethod
    @asynccontextmanager
    async def running(cls, infrastructure: Infrastructure) -> AsyncIterator["SqlSend"]:
        clock = FixedClock(NIGHT)
        vendor = StubVendor(clock)
        async with fresh_database(infrastructure, MIGRATIONS, like="notifier") as database:
            engine = create_engine(database)
            try:
                sessions = session_factory(engine)
                sender = Sender(sessions, clock, vendor, CONFIG, rng=random.Random(7), worker_id="scenario")
                yield cls(clock, vendor, sender, sessions, database)
            finally:
                await engine.dispose()

    async def request(self, key: str) -> None:
        async with self._sessions.begin() as session:
            await accept_requests([request_of(key, self.clock)], session, self.clock.now())

    async def queue(self) -> Queue:
        rows = await fetch(self._database, "SELECT dedupe_key, status, next_attempt_at FROM notifications")
        return {r["dedupe_key"]: (r["status"], r["next_attempt_at"]) for r in rows}

    async def letters(self) -> list[str]:
        rows = await fetch(self._database, "SELECT original_key FROM dead_letters WHERE consumer_group = $1 "
                                           "ORDER BY id", SENDER_GROUP)
        return [r["original_key"] for r in rows]

    async def dead_lettered(self) -> list[tuple[str, int]]:
        rows = await fetch(self._database, "SELECT payload FROM outbox_messages WHERE topic = $1 ORDER BY id",
                           topics.DEAD_LETTER)
        return [(payload["dedupe_key"], len(payload["attempts"])) for payload in
                (json.loads(r["payload"]) for r in rows)]
