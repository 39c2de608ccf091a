"""Waitlist's own tables: offers (seats offered to people) and each run's ranked waitlist."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import DateTime, Integer, MetaData, String, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from platform_shared.db import NAMING_CONVENTION


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Offer(Base):
    __tablename__ = "offers"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    run_id: Mapped[UUID]
    campaign_id: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[str] = mapped_column(String(100))
    rank: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    respond_by: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class WaitlistEntry(Base):
    __tablename__ = "waitlist_entries"

    run_id: Mapped[UUID] = mapped_column(primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
