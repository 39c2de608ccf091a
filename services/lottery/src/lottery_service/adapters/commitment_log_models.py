"""The public commitment log's table (docs/draw-algorithm.md §8.5), beside the draws' (adapters/models.py)."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lottery_service.adapters.models import Base


class CommitmentLogEntry(Base):
    """One entry of the public commitment log (docs/draw-algorithm.md §8.5): `entry` is the exact canonical
    JSON that was hashed, with its hash; the other columns index it. Append-only (migration 0017)."""

    __tablename__ = "commitment_log"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    campaign_id: Mapped[str] = mapped_column(String(100))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    hash: Mapped[str] = mapped_column(String(64))
    entry: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("campaign_id", "number", name="uq_commitment_log_campaign_number"),
                      UniqueConstraint("hash", name="uq_commitment_log_hash"))
