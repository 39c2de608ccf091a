"""Unprocessable messages go to the dead-letter topic with their origin; the consumer moves on."""

import asyncio
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
    consumer = AIOKafkaConsumer(topics.DEAD_LETTER, bootstrap_servers=infrastructure.kafka_bootstrap_servers,
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
