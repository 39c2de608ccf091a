"""Notifier's own tables: the notification queue, one row per logical notification (dedupe key)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import BigInteger, DateTime, MetaData, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from platform_shared.db import NAMING_CONVENTION


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)
    event_id: Mapped[UUID]
    user_id: Mapped[str] = mapped_column(String(100))
    template: Mapped[str] = mapped_column(String(50))
    params: Mapped[dict[str, str]] = mapped_column(JSONB)
    campaign_id: Mapped[str | None] = mapped_column(String(100))
    run_id: Mapped[UUID | None]
    status: Mapped[str] = mapped_column(String(20))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
