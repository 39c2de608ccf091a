"""`platform audit-verify`: check one service's audit chain from outside the service: every record against
its hash, columns, number and seal (with the service's audit key), and the chain against every anchor on the
`audit_anchors` topic."""

import asyncio

from aiokafka import AIOKafkaConsumer, TopicPartition

from platform_shared.audit.anchors import Anchors
from platform_shared.audit.chain import ChainVerification, chain_name, verify_chain
from platform_shared.contracts import topics
from platform_shared.contracts.events import AuditAnchored
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.messaging.kafka_client import KafkaAccess


async def read_anchors(kafka: KafkaAccess, timeout: float = 30.0) -> Anchors:
    """The whole compacted topic, from its start to its end as of now."""
    anchors = Anchors()
    consumer = AIOKafkaConsumer(**kafka.client_kwargs(), enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topics.AUDIT_ANCHORS, p)
                      for p in sorted(consumer.partitions_for_topic(topics.AUDIT_ANCHORS) or {0})]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        async with asyncio.timeout(timeout):
            while [p for p in partitions if await consumer.position(p) < ends[p]]:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    for record in records:
                        if record.value:
                            anchors.apply(AuditAnchored.model_validate_json(record.value))
    finally:
        await consumer.stop()
    return anchors


async def verify_service_chain(database_url: str, kafka: KafkaAccess, audit_key: bytes) -> ChainVerification:
    anchors = await read_anchors(kafka)
    engine = create_engine(database_url)
    try:
        async with session_factory(engine, audit_key=audit_key)() as session:
            return await verify_chain(session, anchors.of(await chain_name(session)))
    finally:
        await engine.dispose()
