"""The outbox, inbox and policy-cache tables that live in every service's own database."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import BigInteger, Boolean, DateTime, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from platform_shared.db.engine import MessagingBase


class OutboxMessage(MessagingBase):
    """An event written in the same transaction as the state change that implies it."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(Text)
    event_id: Mapped[UUID]
    event_type: Mapped[str] = mapped_column(String(100))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_outbox_messages_unpublished", "id", postgresql_where=text("published_at IS NULL")),
        UniqueConstraint("event_id", name="outbox_messages_event_id_key"),
    )


class InboxMessage(MessagingBase):
    """An event a consumer has applied; its primary key makes a redelivery a no-op."""

    __tablename__ = "inbox_messages"

    consumer: Mapped[str] = mapped_column(String(200), primary_key=True)
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class DeadLetterRecord(MessagingBase):
    """A copy of each dead letter this service's consumers produced: for inspection and replay."""

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    consumer_group: Mapped[str] = mapped_column(String(200))
    original_topic: Mapped[str] = mapped_column(String(200))
    original_partition: Mapped[int] = mapped_column(Integer)
    original_offset: Mapped[int] = mapped_column(BigInteger)
    original_key: Mapped[str | None] = mapped_column(Text)
    exception_type: Mapped[str] = mapped_column(String(200))
    exception_message: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    replayed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When a redrive sent it back to its topic (the broker acknowledged); None until then."""
    original_headers: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    dead_letter_count: Mapped[int] = mapped_column(Integer, default=1)
    cause: Mapped[str | None] = mapped_column(Text)
    """Ops' tag after sampling (seed §6.3), e.g. `vendor-template-missing`; None until tagged."""
    redrive_id: Mapped[UUID | None]
    payload_truncated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    """contracts.events.DeadLetter: the record was cut short to fit Kafka's limit, and is not redriven."""
    payload_bytes: Mapped[int | None] = mapped_column(BigInteger)
    payload_sha256: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_dead_letters_failed_at", "failed_at"),)


class PolicySnapshot(MessagingBase):
    """The newest policy this service has seen (one row)."""

    __tablename__ = "policy_snapshot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, object]] = mapped_column(JSONB)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class ConsumerControl(MessagingBase):
    """Ops' desired state of one consumer group of this service: paused (until a time, or until
    resumed) or running. Every replica reads it, at start and every few seconds, and applies it."""

    __tablename__ = "consumer_controls"

    group_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    paused: Mapped[bool]
    until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConsumerReplica(MessagingBase):
    """What one replica last reported for one consumer group: its partitions, which of them are paused, and
    the group's lag on them (committed offset to the end of the log)."""

    __tablename__ = "consumer_replicas"

    replica: Mapped[str] = mapped_column(String(200), primary_key=True)
    group_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    assigned: Mapped[list[str]] = mapped_column(JSONB)
    paused_partitions: Mapped[list[str]] = mapped_column(JSONB)
    lag: Mapped[int | None] = mapped_column(BigInteger)
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Redrive(MessagingBase):
    """A redrive task (AWS SQS's StartMessageMoveTask is the model): the dead letters chosen when
    it started, sent back to their topics in order at `rate_per_second`, with its progress. Any replica may
    run it; the one holding the lease does."""

    __tablename__ = "redrives"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    letter_ids: Mapped[list[int]] = mapped_column(JSONB)
    rate_per_second: Mapped[float]
    status: Mapped[str] = mapped_column(String(20))
    """running | done | cancelled"""
    position: Mapped[int] = mapped_column(Integer, default=0)
    redriven: Mapped[int] = mapped_column(Integer, default=0)
    """Letters sent back (acknowledged): the answer calls it `sent`, and counts as redriven only those not
    dead-lettered again (web/dead_letters_api.py)."""
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    """Chosen letters that were not sent: already redriven, or at the maximum of redrives."""
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
