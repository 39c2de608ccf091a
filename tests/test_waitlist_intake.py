"""A draw's results reach the waitlist over Kafka: one offer and one notification request per winner even
when a part is delivered twice, the waitlist in rank order, and a malformed record dead-lettered without
stopping the stream. One scenario, run twice: in memory (FastStream's TestKafkaBroker driving the real
consumer, inbox protocol and handlers on the in-memory stores) and against the running fleet (real broker,
real database)."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID, uuid4

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker

from platform_deploy.infra import Infrastructure
from platform_deploy.services import Fleet
from platform_shared.contracts import topics
from platform_shared.contracts.events import DrawCompleted, NotificationRequested, RankedEntrant
from platform_shared.messaging.consumer import RecordProcessor, subscribe
from platform_shared.messaging.dead_letter_publisher import DeadLetterPublisher
from platform_shared.messaging.tables import DeadLetterRecord
from platform_shared.time.clock import KST, Clock, FixedClock
from tests.memory_waitlist import MemoryInbox, MemoryRunStore, MemorySessions, WaitlistState
from tests.support import eventually, fetch, producer
from waitlist_service.bootstrap import consumer_specs
from waitlist_service.domain.offers import offer_dedupe_key
from waitlist_service.entrypoints.kafka.intake import DrawIntake

Offers = list[tuple[str, str, str]]
"""(user id, status, source), sorted"""


class IntakeWorld(Protocol):
    async def send(self, payload: bytes, key: bytes) -> None: ...

    async def settled(self, run_id: UUID) -> str:
        """The run's status once every part was applied."""
        ...

    async def offers(self, run_id: UUID) -> Offers: ...

    async def waiting(self, run_id: UUID) -> list[tuple[int, str]]: ...

    async def requested(self, run_id: UUID) -> list[str]:
        """Dedupe keys of the notification requests the waitlist published for the run."""
        ...

    async def dead_letters(self, key: bytes) -> list[dict[str, Any]]:
        """The dead letters of records sent with `key` (consumer group, origin, error, attempts, payload)."""
        ...


async def scenario(world: IntakeWorld, now: datetime) -> None:
    run_id, marker = uuid4(), uuid4().hex
    key = str(run_id).encode()
    def part(number: int, winners: tuple[int, ...], waitlist: tuple[int, ...]) -> DrawCompleted:
        return DrawCompleted(occurred_at=now, run_id=run_id, campaign_id="intake", seats=3, waitlist_size=2,
                             policy_version=0, part=number, part_count=2,
                             winners=tuple(RankedEntrant(rank=r, user_id=f"w{r}") for r in winners),
                             waitlist=tuple(RankedEntrant(rank=r, user_id=f"q{r}") for r in waitlist))

    winners, waitlist = part(1, (1, 2, 3), ()), part(2, (), (4, 5))

    await world.send(winners.model_dump_json().encode(), key)
    await world.send(winners.model_dump_json().encode(), key)  # a redelivery: the same event id
    await world.send(f'{{"marker": "{marker}"'.encode(), key)  # not even JSON
    await world.send(waitlist.model_dump_json().encode(), key)

    assert await world.settled(run_id) == "active"
    assert await world.offers(run_id) == [("w1", "offered", "draw"), ("w2", "offered", "draw"),
                                          ("w3", "offered", "draw")]
    assert sorted(await world.requested(run_id)) == [offer_dedupe_key(run_id, f"w{r}") for r in (1, 2, 3)]
    assert await world.waiting(run_id) == [(4, "q4"), (5, "q5")]
    [letter] = await world.dead_letters(key)  # the malformed record's, and no other
    assert marker in letter["payload"]
    assert (letter["consumer_group"], letter["original_topic"]) == ("waitlist", topics.DRAW_COMPLETED)
    assert (letter["exception_type"], letter["attempts"]) == ("ValidationError", 1)


async def test_draw_results_become_offers_once_in_memory() -> None:
    async with MemoryIntake.running() as world:
        await scenario(world, world.clock.now())


@pytest.mark.integration
async def test_draw_results_become_offers_once_on_the_fleet(fleet: Fleet, infrastructure: Infrastructure,
                                                            clock: Clock) -> None:
    async with FleetIntake.running(infrastructure) as world:
        await scenario(world, clock.now())


class MemoryIntake:
    """The waitlist's consumers wired as bootstrap.py wires them, on a TestKafkaBroker and memory stores."""

    def __init__(self, state: WaitlistState, broker: KafkaBroker, clock: FixedClock) -> None:
        self.state, self.clock, self._broker = state, clock, broker

    @classmethod
    @asynccontextmanager
    async def running(cls) -> AsyncIterator["MemoryIntake"]:
        state, clock, broker = WaitlistState(), FixedClock(datetime(2031, 3, 3, 10, 0, tzinfo=KST)), KafkaBroker()
        sessions = MemorySessions(state)
        dead_letters = DeadLetterPublisher(broker, sessions, clock)
        for spec in consumer_specs(DrawIntake(clock, MemoryRunStore)):
            subscribe(broker, spec, RecordProcessor(spec, sessions, dead_letters, max_attempts=3,
                                                    retry_delay_seconds=0, claims=MemoryInbox()))
        async with TestKafkaBroker(broker) as test_broker:
            yield cls(state, test_broker, clock)

    async def send(self, payload: bytes, key: bytes) -> None:
        await self._broker.publish(payload, topics.DRAW_COMPLETED, key=key)

    async def settled(self, run_id: UUID) -> str:
        return next(run.status for run in self.state.runs if run.run_id == run_id)

    async def offers(self, run_id: UUID) -> Offers:
        return sorted((o.user_id, o.status, o.source) for o in self.state.offers if o.run_id == run_id)

    async def waiting(self, run_id: UUID) -> list[tuple[int, str]]:
        return sorted((e.rank, e.user_id) for e in self.state.entries if e.run_id == run_id and e.status == "waiting")

    async def requested(self, run_id: UUID) -> list[str]:
        return [event.dedupe_key for topic, event in self.state.announced
                if topic == topics.NOTIFICATION_REQUESTED and isinstance(event, NotificationRequested)
                and event.run_id == run_id]

    async def dead_letters(self, key: bytes) -> list[dict[str, Any]]:
        return [{"consumer_group": row.consumer_group, "original_topic": row.original_topic, "payload": row.payload,
                 "exception_type": row.exception_type, "attempts": row.attempts}
                for row in self.state.added if isinstance(row, DeadLetterRecord) and row.original_key == key.decode()]


class FleetIntake:
    """The running waitlist service, fed through the real broker and read from its database."""

    def __init__(self, infrastructure: Infrastructure, send: Any) -> None:
        self._database = infrastructure.database_urls["waitlist"]
        self._send = send

    @classmethod
    @asynccontextmanager
    async def running(cls, infrastructure: Infrastructure) -> AsyncIterator["FleetIntake"]:
        async with producer(infrastructure) as send:
            yield cls(infrastructure, send)

    async def send(self, payload: bytes, key: bytes) -> None:
        await self._send(topics.DRAW_COMPLETED, payload, key=key)

    async def settled(self, run_id: UUID) -> str:
        # One key, one partition: once the last part is applied, so is everything sent before it.
        rows = await eventually(lambda: self._rows("SELECT status FROM waitlist_runs WHERE run_id = $1", run_id),
                                lambda rows: bool(rows) and rows[0]["status"] != "receiving", what="both parts")
        return str(rows[0]["status"])

    async def offers(self, run_id: UUID) -> Offers:
        rows = await self._rows("SELECT user_id, status, source FROM offers WHERE run_id = $1", run_id)
        return sorted((r["user_id"], r["status"], r["source"]) for r in rows)

    async def waiting(self, run_id: UUID) -> list[tuple[int, str]]:
        rows = await self._rows("SELECT rank, user_id FROM waitlist_entries WHERE run_id = $1 AND status = 'waiting'"
                                " ORDER BY rank", run_id)
        return [(r["rank"], r["user_id"]) for r in rows]

    async def requested(self, run_id: UUID) -> list[str]:
        rows = await self._rows("SELECT payload FROM outbox_messages WHERE topic = $1"
                                " AND payload::jsonb->>'run_id' = $2", topics.NOTIFICATION_REQUESTED, str(run_id))
        return [json.loads(r["payload"])["dedupe_key"] for r in rows]

    async def dead_letters(self, key: bytes) -> list[dict[str, Any]]:
        # Each copy is kept before the offset moves on, so once the last part is applied all are here.
        rows = await self._rows("SELECT consumer_group, original_topic, payload, exception_type, attempts"
                                " FROM dead_letters WHERE original_key = $1", key.decode())
        return [dict(row) for row in rows]

    async def _rows(self, query: str, *args: object) -> list[Any]:
        return list(await fetch(self._database, query, *args))
