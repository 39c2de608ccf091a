"""Notifier end to end (Kafka → database → vendor) against a bare aiokafka-consume + asyncpg-insert
loop, on the same broker and database (SPEC §8). Prints figures and their ratio, asserts nothing.

    uv run python benchmarks/notifier_throughput.py [--messages 20000]

Both sides read the same pre-produced backlog of `notification_requested` messages:
- bare loop: `async for record in consumer: await connection.execute(INSERT …)`, one row a record;
- notifier: the real service process (inbox, dedupe, outbox, sender) with the fake vendor; its rate is
  messages / (last `sent_at` − first `received_at`), i.e. sustained intake-to-delivered throughput.
Duplicates are counted on both sides (vendor deliveries per dedupe key for the notifier).
"""

import argparse
import asyncio
import secrets
from datetime import UTC, datetime, time
from time import perf_counter
from uuid import uuid4

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from notifier_service.domain.template_preview import sample_params
from platform_deploy.infra import provide_infrastructure
from platform_deploy.services import Fleet
from platform_shared.contracts import topics
from platform_shared.contracts.events import NotificationRequested
from platform_shared.messaging.kafka_client import KafkaAccess
from platform_shared.time.clock import offset_to_kst


async def produce(kafka: KafkaAccess, count: int, batch: str) -> None:
    producer = AIOKafkaProducer(**kafka.client_kwargs(), linger_ms=20)
    await producer.start()
    try:
        now = datetime.now(UTC)
        for n in range(count):
            event = NotificationRequested(occurred_at=now, dedupe_key=f"{batch}:{n}", user_id=f"user-{n}",
                                          template="INCIDENT_NOTICE", params=sample_params("INCIDENT_NOTICE"))
            await producer.send(topics.NOTIFICATION_REQUESTED, event.model_dump_json().encode(),
                                key=event.partition_key())
        await producer.flush()
    finally:
        await producer.stop()


async def bare_loop(kafka: KafkaAccess, database_url: str, count: int) -> float:
    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    await connection.execute("CREATE TABLE IF NOT EXISTS bench_bare (dedupe_key text PRIMARY KEY, body text)")
    consumer = AIOKafkaConsumer(topics.NOTIFICATION_REQUESTED, **kafka.client_kwargs(),
                                group_id=f"bench-{uuid4()}", auto_offset_reset="earliest")
    await consumer.start()
    seen, started = 0, 0.0
    try:
        async for record in consumer:
            started = started or perf_counter()
            key = f"{record.partition}:{record.offset}"
            await connection.execute("INSERT INTO bench_bare VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                     key, record.value.decode())
            seen += 1
            if seen == count:
                break
    finally:
        await consumer.stop()
        await connection.close()
    return count / (perf_counter() - started)


async def notifier_rate(database_url: str, vendor_url: str, batch: str, count: int) -> tuple[float, int]:
    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        while True:
            row = await connection.fetchrow(
                "SELECT count(*) FILTER (WHERE status = 'sent') AS sent, min(received_at) AS first, "
                "max(sent_at) AS last FROM notifications WHERE dedupe_key LIKE $1", f"{batch}:%")
            if row is not None and row["sent"] == count:
                break
            await asyncio.sleep(0.5)
    finally:
        await connection.close()
    async with httpx.AsyncClient(timeout=30) as client:
        # Sends the vendor accepted, before its idempotency-key deduplication: what the notifier did.
        accepted = (await client.get(f"{vendor_url}/_deliveries")).json()["accepted"]
    duplicates = sum(n - 1 for key, n in accepted.items() if key.startswith(batch) and n > 1)
    assert row is not None
    return count / (row["last"] - row["first"]).total_seconds(), duplicates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20_000)
    args = parser.parse_args()
    batch = f"bench-{uuid4().hex[:6]}"
    with provide_infrastructure() as infra:
        print(f"infrastructure: {infra.mode}")
        asyncio.run(produce(infra.kafka, args.messages, batch))
        bare = asyncio.run(bare_loop(infra.kafka, infra.database_urls["notifier"], args.messages))
        # The whole fleet at 10:00 KST: quiet hours would hold every message at night.
        fleet = Fleet(infra, draw_server_secret=secrets.token_hex(32),
                      clock_offset=offset_to_kst(time(10, 0), datetime.now(UTC)))
        try:
            fleet.start()
            assert fleet.vendor is not None
            rate, duplicates = asyncio.run(notifier_rate(infra.database_urls["notifier"], fleet.vendor.base_url,
                                                         batch, args.messages))
        finally:
            fleet.stop()
    print(f"{args.messages:,} notification_requested messages, same broker and database")
    print(f"  bare aiokafka consume + asyncpg insert: {bare:8.0f} msg/s")
    print(f"  notifier end to end (Kafka → DB → vendor): {rate:8.0f} msg/s, "
          f"duplicate sends (accepted by the vendor before its dedup): {duplicates}")
    print(f"  ratio notifier / bare: {rate / bare:.2f}  (target >= 0.5)")


if __name__ == "__main__":
    main()
