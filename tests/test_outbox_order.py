"""A compacted topic keeps a key's last message, so the policy service's relays must publish in the order
rows were written even with several replicas (issue 11: "an older version could survive compaction").
Two relays on one database: the first is held mid-publish while the second runs. On a topic of the test's
own: snapshots on the real `policy_changed` would become the running fleet's policy."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faststream.kafka import KafkaBroker
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_deploy.infra import Infrastructure
from platform_shared.contracts.events import PolicyChanged
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.messaging import outbox
from platform_shared.messaging.outbox import OutboxRelay
from platform_shared.time.clock import SystemClock
from policy_service.main import MIGRATIONS
from tests.support import fresh_database

pytestmark = pytest.mark.integration


class HeldBroker:
    """Passes publishes on to the real broker once `release` is set: a relay caught mid-publish."""

    def __init__(self, broker: KafkaBroker) -> None:
        self._broker = broker
        self.holding = asyncio.Event()
        self.release = asyncio.Event()

    async def publish(self, *args: Any, **kwargs: Any) -> Any:
        self.holding.set()
        await self.release.wait()
        result: Any = await self._broker.publish(*args, **kwargs)
        return result


@asynccontextmanager
async def policy_database(infrastructure: Infrastructure) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with fresh_database(infrastructure, MIGRATIONS, like="policy") as url:
        engine = create_engine(url)
        try:
            yield session_factory(engine)
        finally:
            await engine.dispose()


async def scratch_topic(infrastructure: Infrastructure) -> str:
    """A compacted one-partition topic like `policy_changed`, for this test alone."""
    topic = f"test-order-{uuid4().hex}"
    admin = AIOKafkaAdminClient(**infrastructure.kafka.client_kwargs())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 1, 1, topic_configs={"cleanup.policy": "compact"})])
    finally:
        await admin.close()
    return topic


async def write_versions(sessions: async_sessionmaker[AsyncSession], topic: str, key: str, versions: range) -> None:
    for version in versions:
        async with sessions.begin() as session:
            event = PolicyChanged(occurred_at=SystemClock().now(), version=version,
                                  policy=PolicyDocument(banners=(key,)))
            await outbox.enqueue(session, topic, [event])


async def published_versions(infrastructure: Infrastructure, topic: str, key: str, count: int) -> list[int]:
    consumer = AIOKafkaConsumer(topic, **infrastructure.kafka.client_kwargs(),
                                group_id=f"test-{uuid4()}", auto_offset_reset="earliest")
    await consumer.start()
    seen: list[int] = []
    try:
        async with asyncio.timeout(30):
            async for record in consumer:
                payload = json.loads(record.value)
                if key in payload["policy"]["banners"]:
                    seen.append(payload["version"])
                    if len(seen) == count:
                        return seen
    finally:
        await consumer.stop()
    return seen


async def test_two_relays_of_an_ordered_outbox_publish_in_the_order_rows_were_written(
        infrastructure: Infrastructure) -> None:
    key, topic = f"order-{uuid4().hex}", await scratch_topic(infrastructure)
    broker = KafkaBroker(**infrastructure.kafka.broker_kwargs())
    await broker.start()
    try:
        async with policy_database(infrastructure) as sessions:
            held = HeldBroker(broker)
            first = OutboxRelay(sessions, cast(KafkaBroker, held), batch_size=2, poll_seconds=1, ordered=True)
            second = OutboxRelay(sessions, broker, batch_size=10, poll_seconds=1, ordered=True)
            await write_versions(sessions, topic, key, range(1, 3))
            first_pass = asyncio.create_task(first.publish_pending())  # claims versions 1-2, then is held
            await held.holding.wait()
            await write_versions(sessions, topic, key, range(3, 5))
            second_pass = asyncio.create_task(second.publish_pending())
            await asyncio.sleep(1.0)  # without ordering, versions 3-4 go out now, ahead of 1-2
            held.release.set()
            await asyncio.gather(first_pass, second_pass)
    finally:
        await broker.stop()
    assert await published_versions(infrastructure, topic, key, 4) == [1, 2, 3, 4]
