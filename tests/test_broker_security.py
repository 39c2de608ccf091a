"""The broker and the databases let in only who proves it, and each service only to what is its own (issue 26:
a record anyone could produce to `policy_changed` was applied by the whole fleet).

Kafka: SASL/SCRAM-SHA-512 over TLS with ACLs (deploy/kafka_security.py, kafka_acls.py); PostgreSQL: scram-sha-256
for every role. Whether a principal may write `policy_changed` is asked with a record the broker refuses after
authorizing it (no key, on a compacted topic), so nothing reaches the fleet's policy consumers."""

import asyncio
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaConnectionError,
    KafkaError,
    TopicAuthorizationFailedError,
)
from pydantic import SecretStr

from platform_deploy.infra import Infrastructure
from platform_shared.contracts import topics
from platform_shared.messaging.kafka_client import KafkaAccess

pytestmark = pytest.mark.integration


async def produce_keyless(kafka: KafkaAccess, topic: str) -> None:
    """Connect as `kafka` and send one record without a key to `topic`; raises what the broker answers."""
    producer = AIOKafkaProducer(**kafka.client_kwargs(), request_timeout_ms=10_000)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b'{"version": 9999, "adgate_global_bypass": true}')
    finally:
        await producer.stop()


def test_a_client_without_credentials_cannot_reach_the_broker(infrastructure: Infrastructure) -> None:
    anonymous = KafkaAccess(infrastructure.kafka.bootstrap_servers)  # PLAINTEXT, no principal
    with pytest.raises(KafkaConnectionError):
        asyncio.run(produce_keyless(anonymous, topics.POLICY_CHANGED))


def test_a_wrong_password_is_refused(infrastructure: Infrastructure) -> None:
    policy = infrastructure.kafka_principals["policy"]
    assert policy.sasl, f"the broker takes no credentials ({policy.security_protocol})"
    with pytest.raises(KafkaConnectionError):
        asyncio.run(produce_keyless(replace(policy, password=SecretStr("not-the-password")), topics.POLICY_CHANGED))


def test_the_waitlist_may_not_write_the_policy(infrastructure: Infrastructure) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        asyncio.run(produce_keyless(infrastructure.kafka_principals["waitlist"], topics.POLICY_CHANGED))


def test_the_policy_service_may_write_the_policy(infrastructure: Infrastructure) -> None:
    """Authorized, then refused for the missing key: the broker read the record, and nothing was written."""
    with pytest.raises(KafkaError) as refused:
        asyncio.run(produce_keyless(infrastructure.kafka_principals["policy"], topics.POLICY_CHANGED))
    assert not isinstance(refused.value, (TopicAuthorizationFailedError, KafkaConnectionError)), refused.value


def test_the_waitlist_may_not_read_the_lotterys_consumer_group(infrastructure: Infrastructure) -> None:
    async def lottery_group_offset() -> object:
        consumer = AIOKafkaConsumer(**infrastructure.kafka_principals["waitlist"].client_kwargs(),
                                    group_id="lottery.policy", enable_auto_commit=False)
        await consumer.start()
        try:
            return await consumer.committed(TopicPartition(topics.POLICY_CHANGED, 0))
        finally:
            await consumer.stop()

    with pytest.raises(GroupAuthorizationFailedError):
        asyncio.run(lottery_group_offset())


def as_role(url: str, *, user: str | None = None, password: str | None = None, database: str | None = None) -> str:
    """A plain (asyncpg) URL like `url`, with the user, password or database changed."""
    parts = urlsplit(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    host = parts.netloc.rsplit("@", 1)[-1]
    netloc = f"{user or parts.username}:{password or parts.password}@{host}"
    return urlunsplit(parts._replace(netloc=netloc, path=f"/{database}" if database else parts.path))


def refused(url: str) -> bool:
    async def connect() -> bool:
        try:
            connection = await asyncpg.connect(url, timeout=10)
        except (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError,
                asyncpg.InsufficientPrivilegeError):
            return True
        await connection.close()
        return False

    return asyncio.run(connect())


def test_a_service_role_needs_its_own_password(infrastructure: Infrastructure) -> None:
    lottery = infrastructure.runtime_urls["lottery"]
    lottery_password = urlsplit(lottery).password
    assert not refused(as_role(lottery)), "the lottery's own role and password must connect"
    assert refused(as_role(lottery, password="not-the-password"))
    assert refused(as_role(infrastructure.runtime_urls["waitlist"], password=lottery_password))


def test_the_lottery_role_cannot_open_the_waitlist_database(infrastructure: Infrastructure) -> None:
    assert refused(as_role(infrastructure.runtime_urls["lottery"], database="waitlist"))
