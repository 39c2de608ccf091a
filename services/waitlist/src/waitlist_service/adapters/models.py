"""Waitlist's own tables: one row per draw run, its offers (seats offered to people) and its ranked
waitlist."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import DateTime, Index, Integer, MetaData, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from platform_shared.db.engine import NAMING_CONVENTION
from waitlist_service.domain.seats import OfferView


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class WaitlistRun(Base):
    """The lock every promotion pass of a run takes: passes of one run never overlap."""

    __tablename__ = "waitlist_runs"

    run_id: Mapped[UUID] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(100))
    seats: Mapped[int] = mapped_column(Integer)
    waitlist_size: Mapped[int] = mapped_column(Integer)
    part_count: Mapped[int] = mapped_column(Integer)
    parts_received: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # a RunStatus (domain/runs.py)
    last_promotion_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    void_reason: Mapped[str | None] = mapped_column(Text)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When it was rolled back (the correction notice names the time, runbook §14.2)."""
    campaign_name: Mapped[str | None] = mapped_column(String(200))
    """The campaign's display name, as its messages name it (None: its id stands in)."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class Offer(Base):
    __tablename__ = "offers"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    run_id: Mapped[UUID]
    campaign_id: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[str] = mapped_column(String(100))
    rank: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20))  # draw | declined | expired | manual
    status: Mapped[str] = mapped_column(String(20))
    offered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    respond_by: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When its notification went out (`notification_delivered`), or the notifier gave up on it
    (`notification_undeliverable`); None until then, and the deadline waits."""
    told_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When its message reached the person (delivered, not given up on): who is owed a correction (§14.2)."""
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("run_id", "user_id", name="uq_offers_run_user"),
        UniqueConstraint("run_id", "rank", name="uq_offers_run_rank"),
        Index("ix_offers_due", "respond_by", postgresql_where=text("status = 'offered'")),
        Index("ix_offers_user_id", "user_id"),  # an entrant's own offers
    )

    def view(self) -> OfferView:
        """What the rules in domain/ see of it."""
        return OfferView(self.id, self.user_id, self.rank, self.status, self.respond_by,
                         delivered=self.delivered_at is not None)


class WaitlistEntry(Base):
    __tablename__ = "waitlist_entries"

    run_id: Mapped[UUID] = mapped_column(primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))  # an EntryStatus (domain/seats.py)
