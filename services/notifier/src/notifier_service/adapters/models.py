"""Notifier's own tables: the notification queue (one row per logical notification, i.e. per dedupe
key), every delivery attempt, templates, the sender's pause switch and rolled-back runs."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from notifier_service.domain.delivery import Status
from platform_shared.contracts.events import TemplateName
from platform_shared.db.engine import NAMING_CONVENTION


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    dedupe_key: Mapped[str] = mapped_column(String(300))
    event_id: Mapped[UUID]
    user_id: Mapped[str] = mapped_column(String(100))
    template: Mapped[TemplateName] = mapped_column(String(50))
    params: Mapped[dict[str, str]] = mapped_column(JSONB)
    campaign_id: Mapped[str | None] = mapped_column(String(100))
    run_id: Mapped[UUID | None]
    status: Mapped[str] = mapped_column(String(20))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    redrives: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """How often a dead-letter redrive put it back in the queue (adapters/dead_notifications.py)."""
    locale: Mapped[str] = mapped_column(String(5), default="ko", server_default=text("'ko'"))
    """The language it is written in: Korean unless its request asked for English (domain/wording.py)."""
    channel: Mapped[str] = mapped_column(String(10), default="message", server_default=text("'message'"))
    """How it goes out: `message` (the vendor) or `email` (SMTP to the contact book's address)."""

    __table_args__ = (
        UniqueConstraint("dedupe_key", name="notifications_dedupe_key_key"),
        Index("ix_notifications_run_id", "run_id"),
        Index("ix_notifications_due", "next_attempt_at", "received_at", "id",
              postgresql_where=text(f"status IN ('{Status.QUEUED}', '{Status.HELD}', '{Status.RETRYING}', "
                                    f"'{Status.SENDING}')")),
    )


class Attempt(Base):
    __tablename__ = "notification_attempts"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"))
    attempt: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verdict: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_notification_attempts_notification", "notification_id"),
    )


class Template(Base):
    __tablename__ = "templates"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    locale: Mapped[str] = mapped_column(String(5), primary_key=True, default="ko", server_default=text("'ko'"))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class SenderState(Base):
    """One row: whether sending is paused (survives restarts; shared by every replica)."""

    __tablename__ = "sender_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    paused: Mapped[bool] = mapped_column(Boolean)
    paused_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str | None] = mapped_column(String(100))
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Contact(Base):
    """The contact book (seed §1: notices by e-mail): one address per user, imported by operators. Personal
    data: it never leaves this table for a log, an error, an event or a dead letter."""

    __tablename__ = "contacts"

    user_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    source: Mapped[str] = mapped_column(String(50))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CancelledRun(Base):
    __tablename__ = "cancelled_runs"

    run_id: Mapped[UUID] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
