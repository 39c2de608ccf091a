"""Lottery's own tables: draws (campaign events), entries, runs and their ranked results."""

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from sqlalchemy import BigInteger, DateTime, Double, ForeignKey, Integer, MetaData, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from platform_shared.db import NAMING_CONVENTION


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DrawStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    DRAWING_READY = "drawing_ready"
    DRAWING_DONE = "drawing_done"


class Draw(Base):
    """A campaign event whose seats are drawn; one draw per campaign."""

    __tablename__ = "draws"

    campaign_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    seats: Mapped[int] = mapped_column(Integer)
    waitlist_size: Mapped[int] = mapped_column(Integer)
    draw_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default=DrawStatus.OPEN)
    commitment: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class Entry(Base):
    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("draws.campaign_id"))
    kakao_user_id: Mapped[int] = mapped_column(BigInteger)
    weight: Mapped[float] = mapped_column(Double)
    policy_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class DrawRun(Base):
    __tablename__ = "draw_runs"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("draws.campaign_id"))
    seed_hex: Mapped[str] = mapped_column(String(64))
    entry_set_hash: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[int] = mapped_column(Integer)
    weight_cap: Mapped[float] = mapped_column(Double)
    status: Mapped[str] = mapped_column(String(20), default="completed")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class DrawResult(Base):
    __tablename__ = "draw_results"

    run_id: Mapped[UUID] = mapped_column(ForeignKey("draw_runs.id"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    kakao_user_id: Mapped[int] = mapped_column(BigInteger)
    outcome: Mapped[str] = mapped_column(String(20))
    weight: Mapped[float] = mapped_column(Double)
    key: Mapped[float] = mapped_column(Double)
    note: Mapped[str | None] = mapped_column(Text)
