"""The lottery's tables for notices to a segment of users (seed §1, §14): refused entries (who a `refused`
segment reaches, beside the refused sponsor returns of `adgate_failures`) and the notices sent."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from lottery_service.adapters.models import Base


class EntryRefusal(Base):
    """An entrant's entry refused (domain/entry_refusals.py), with its reason: written by the entry's hot path in
    a short transaction of its own (adapters/entry_statements.py)."""

    __tablename__ = "entry_refusals"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    campaign_id: Mapped[str] = mapped_column(String(100))
    kakao_user_id: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Notice(Base):
    """A notice sent to a segment: who, when, what, to whom (the count queued), under its key."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    notice_key: Mapped[str] = mapped_column(String(64), index=True)
    """The same template, parameters, segment and incident: the same key (asked twice, queued once per person)."""
    template: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, str]] = mapped_column(JSONB)
    segment: Mapped[dict[str, Any]] = mapped_column(JSONB)
    channels: Mapped[list[str]] = mapped_column(JSONB)
    incident_id: Mapped[str | None] = mapped_column(String(100))
    locale: Mapped[str | None] = mapped_column(String(8))
    recipients: Mapped[int] = mapped_column(Integer)
    sent_by: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
