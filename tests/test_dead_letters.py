"""Unprocessable messages go to the dead-letter topic with their origin; the consumer moves on."""

import asyncio
import hashlib
import json
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaConsumer

from platform_deploy.infra import Infrastructure
from platform_deploy.services import Fleet
from platform_shared.contracts import topics
from platform_shared.contracts.events import DrawCompleted, NotificationRequested, RankedEntrant
from platform_shared.time.clock import Clock
from tests.support import eventually, fetch, producer

pytestmark = pytest.mark.integration


async def test_malformed_event_is_dead_lettered_and_the_next_event_is_processed(
    fleet: Fleet, infrastructure: Infrastructure, clock: Clock
) -> None:
    malformed = f'{{"broken": "{uuid4()}"'.encode()
    good = DrawCompleted(occurred_at=clock.now(), run_id=uuid4(), campaign_id="dlt-check", seats=1,
                         waitlist_size=0, policy_version=1, part=1, part_count=1,
                         winners=(RankedEntrant(rank=1, user_id="42"),), waitlist=())

    async with producer(infrastructure) as send:
        bad_meta = await send(topics.DRAW_COMPLETED, malformed, key=str(good.run_id).encode())
        await send(topics.DRAW_COMPLETED, good.model_dump_json().encode(), key=str(good.run_id).encode())

    letter = await find_dead_letter(infrastructure, lambda letter: letter.get("payload") == malformed.decode())
    assert letter["original_topic"] == topics.DRAW_COMPLETED
    assert (letter["original_partition"], letter["original_offset"]) == (bad_meta.partition, bad_meta.offset)
    assert letter["consumer_group"] == "waitlist"
    assert letter["exception_type"] == "ValidationError"
    assert "Invalid JSON" in letter["exception_message"]
    assert letter["attempts"] == 1, "a malformed payload is not retried"

    offers = await eventually(
        lambda: fetch(infrastructure.database_urls["waitlist"], "SELECT user_id FROM offers WHERE run_id = $1",
                      good.run_id),
        lambda rows: len(rows) == 1, what="the event after the malformed one",
    )
    assert offers[0]["user_id"] == "42"


async def test_an_event_the_handler_keeps_failing_on_is_dead_lettered_after_bounded_retries(
    fleet: Fleet, infrastructure: Infrastructure, clock: Clock
) -> None:
    # Valid by contract, but PostgreSQL's jsonb refuses a NUL character: every attempt fails.
    poison = NotificationRequested(occurred_at=clock.now(), dedupe_key=f"dlt:{uuid4()}",
                                   user_id="u1", template="INCIDENT_NOTICE", params={"note": "nul \x00 byte"})
    async with producer(infrastructure) as send:
        await send(topics.NOTIFICATION_REQUESTED, poison.model_dump_json().encode(), key=b"u")

    letter = await find_dead_letter(infrastructure, lambda letter: poison.dedupe_key in letter.get("payload", ""))
    assert letter["consumer_group"] == "notifier"
    assert letter["attempts"] == 3
    assert letter["exception_type"] == "DBAPIError"


async def find_dead_letter(infrastructure: Infrastructure, matches: Callable[[dict[str, Any]], bool],
                           timeout: float = 60) -> dict[str, Any]:
    """Read the dead-letter topic from the start until a letter matches."""
    consumer = AIOKafkaConsumer(topics.DEAD_LETTER, **infrastructure.kafka.client_kwargs(),
                                group_id=f"test-{uuid4()}", auto_offset_reset="earliest")
    await consumer.start()
    try:
        async def next_match() -> dict[str, Any]:
            async for record in consumer:
                letter: dict[str, Any] = json.loads(record.value)
                if matches(letter):
                    return letter
            raise AssertionError("dead-letter topic ended")

        return await asyncio.wait_for(next_match(), timeout)
    finally:
        await consumer.stop()


async def dead_letters_keyed(infrastructure: Infrastructure, key: str, expected: int,
                             timeout: float = 90) -> list[dict[str, Any]]:
    """The letters of records with this key, in the order they were dead-lettered."""
    consumer = AIOKafkaConsumer(topics.DEAD_LETTER, **infrastructure.kafka.client_kwargs(),
                                group_id=f"test-{uuid4()}", auto_offset_reset="earliest",
                                fetch_max_bytes=8 * 1024 * 1024, max_partition_fetch_bytes=8 * 1024 * 1024)
    await consumer.start()
    found: list[dict[str, Any]] = []
    try:
        async def collect() -> None:
            async for record in consumer:
                letter: dict[str, Any] = json.loads(record.value)
                if letter.get("original_key") == key:
                    found.append(letter)
                    if len(found) == expected:
                        return

        await asyncio.wait_for(collect(), timeout)
    finally:
        await consumer.stop()
    return found


async def test_hostile_records_are_dead_lettered_or_ignored_and_the_consumer_keeps_going(
        fleet: Fleet, infrastructure: Infrastructure, clock: Clock) -> None:
    """Issue 15, on one partition in this order: a tombstone, a record of schema version 2, a malformed record
    of 900 kB whose letter would not fit Kafka's 1 MB limit whole, then one valid event twice. The three are
    dead-lettered (the big one cut short, with its size and hash), the event applied once, nothing stuck."""
    run_id = uuid4()
    key = str(run_id)
    good = DrawCompleted(occurred_at=clock.now(), run_id=run_id, campaign_id=f"hostile-{key[:8]}", seats=1,
                         waitlist_size=0, policy_version=1, part=1, part_count=1,
                         winners=(RankedEntrant(rank=1, user_id="4242"),), waitlist=())
    newer = {**json.loads(good.model_dump_json()), "schema_version": 2, "event_id": str(uuid4())}
    huge = b'{"quotes": "' + b'"' * 900_000  # JSON escaping doubles it: the letter would be 1.8 MB
    async with producer(infrastructure) as send:
        for value in (None, json.dumps(newer).encode(), huge, good.model_dump_json().encode(),
                      good.model_dump_json().encode()):
            await send(topics.DRAW_COMPLETED, value, key=key.encode())

    tombstone, versioned, big = await dead_letters_keyed(infrastructure, key, expected=3)
    assert (tombstone["payload"], tombstone["exception_type"]) == ("", "ValidationError")
    assert versioned["exception_type"] == "ValidationError" and "schema_version" in versioned["exception_message"]
    assert big["payload_truncated"] and big["payload_bytes"] == len(huge)
    assert big["payload_sha256"] == hashlib.sha256(huge).hexdigest() and len(big["payload"]) < 10_000
    offers = await eventually(
        lambda: fetch(infrastructure.database_urls["waitlist"], "SELECT user_id FROM offers WHERE run_id = $1",
                      run_id), lambda rows: len(rows) == 1, what="the valid event after the hostile ones")
    assert [o["user_id"] for o in offers] == ["4242"], "applied once though it came twice"
