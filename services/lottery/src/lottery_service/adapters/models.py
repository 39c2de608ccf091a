"""Lottery's own tables: draws (campaign events), entries, blacklist, runs, their inputs and results."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from lottery_service.domain.beacon import BeaconRound, key_seed
from lottery_service.domain.draw_engine import Algorithm, algorithm_named
from lottery_service.domain.draw_lifecycle import DrawStatus
from lottery_service.domain.event_review import EventSettings
from lottery_service.domain.run_lifecycle import RunStatus
from platform_shared.db.engine import NAMING_CONVENTION


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Draw(Base):
    """A campaign event whose seats are drawn; one draw per campaign."""

    __tablename__ = "draws"

    campaign_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    """What people read (offers, corrections): the campaign's name; None for draws created without one, whose
    id then stands in (`name`)."""
    seats: Mapped[int] = mapped_column(Integer)
    waitlist_size: Mapped[int] = mapped_column(Integer)
    draw_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    requires_intro: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_adgate: Mapped[bool] = mapped_column(Boolean, default=False)
    weight_cap: Mapped[float | None] = mapped_column(Double)
    """The event's own cap on an entry's weight, within the policy's (seed §7.3); None: the policy's."""
    cooldown_hours: Mapped[float] = mapped_column(Double, server_default=text("0"))
    intro: Mapped[str] = mapped_column(Text, server_default=text("''"))
    """What an entrant reads before entering (Intro-first, seed §3.1): fetching it logged in is recorded."""
    status: Mapped[str] = mapped_column(String(20), default=DrawStatus.OPEN)
    commitment: Mapped[str | None] = mapped_column(String(64))
    seed_salt: Mapped[str | None] = mapped_column(String(64))
    """Hex; drawn at random when a reopened draw closes again, after its corrections are frozen: the new
    seed is HMAC(secret, seed || salt), which nobody could know while choosing the corrections."""
    frozen_set_hash: Mapped[str | None] = mapped_column(String(64))
    """Every entry's decision and weight when entries closed (domain/frozen_set.py), published with the
    commitment; None while open (and for draws closed before the freeze existed)."""
    frozen_set_id: Mapped[UUID | None] = mapped_column(ForeignKey("frozen_entry_sets.id", use_alter=True))
    """The set frozen at the latest close (kept while a reopen corrects it: the diff is against it)."""
    algorithm: Mapped[str | None] = mapped_column(String(16))
    """The draw algorithm the set was frozen (and will be drawn) under, fixed at close; None with no frozen set."""
    committed: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    """What the commitment in force covers (LOTTERY4, docs/draw-algorithm.md §8.3): `commitment` is its hash."""
    beacon_waiting_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Since when an execution has been waiting for an unreachable beacon (None: not waiting); with why."""
    beacon_problem: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))

    @property
    def name(self) -> str:
        """The campaign as people read it: its display name, or its id when it has none."""
        return self.display_name or self.campaign_id

    @property
    def beacon_round(self) -> int | None:
        """The committed beacon round (LOTTERY4), None before the close or for an older draw."""
        return None if self.committed is None else int(self.committed["beacon"]["round"])

    @property
    def draw_algorithm(self) -> Algorithm:
        """The algorithm fixed at close; a draw not frozen yet will be drawn under the current one."""
        return algorithm_named(self.algorithm)

    @property
    def settings(self) -> EventSettings:
        return EventSettings(self.campaign_id, self.weight_cap, self.cooldown_hours, self.requires_adgate)


class DrawReopening(Base):
    """A reopen for an eligibility correction (seed §3.5): the seed it burned (revealed) and, once
    the draw closed again, which entries changed decision and the commitment to the new seed."""

    __tablename__ = "draw_reopenings"

    campaign_id: Mapped[str] = mapped_column(ForeignKey("draws.campaign_id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    burned_seed_hex: Mapped[str | None] = mapped_column(String(64))
    """Before LOTTERY4 a reopen burned (revealed) the seed; from it the seed stays and the beacon round moves."""
    burned_commitment: Mapped[str] = mapped_column(String(64))
    reopened_by: Mapped[str] = mapped_column(String(100))
    reopened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    """[{kakao_user_id, from, to}] once closed again; None while the correction is under way."""
    new_commitment: Mapped[str | None] = mapped_column(String(64))
    changed: Mapped[bool | None] = mapped_column(Boolean)
    """Whether the re-close changed the frozen set (LOTTERY4: unchanged keeps commitment and round)."""


class Entry(Base):
    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("draws.campaign_id"))
    kakao_user_id: Mapped[int] = mapped_column(BigInteger)
    raw_weight: Mapped[float] = mapped_column(Double)
    weight: Mapped[float] = mapped_column(Double)
    policy_version: Mapped[int] = mapped_column(Integer)
    intro_seen: Mapped[bool] = mapped_column(Boolean)
    adgate_verified: Mapped[bool] = mapped_column(Boolean)
    adgate_exempt_reason: Mapped[str | None] = mapped_column(Text)
    suspicious: Mapped[bool] = mapped_column(Boolean, default=False)
    invalid_reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="api")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))

    __table_args__ = (
        # One entry per (campaign, user) for every source but the old imports, whose duplicates are corrected.
        Index("uq_entries_campaign_user", "campaign_id", "kakao_user_id", unique=True,
              postgresql_where=text("source <> 'legacy'")),
        # A page of entries (by user, then entry) is found in this index alone (migration 0015).
        Index("ix_entries_campaign_user_id", "campaign_id", "kakao_user_id", "id"),
    )


class BlacklistedUser(Base):
    __tablename__ = "blacklist"

    kakao_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class DrawRun(Base):
    """One execution of a draw. A re-run after a rollback is a new row linked by previous_run_id."""

    __tablename__ = "draw_runs"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("draws.campaign_id"))
    previous_run_id: Mapped[UUID | None] = mapped_column(ForeignKey("draw_runs.id"))
    seats: Mapped[int] = mapped_column(Integer)
    waitlist_size: Mapped[int] = mapped_column(Integer)
    draw_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seed_hex: Mapped[str] = mapped_column(String(64))
    commitment: Mapped[str] = mapped_column(String(64))
    entry_set_hash: Mapped[str] = mapped_column(String(64))
    algorithm: Mapped[str] = mapped_column(String(16))
    """How the keys were derived (domain/draw_engine.py): replay and verification use the run's own."""
    eligible_count: Mapped[int] = mapped_column(Integer)
    policy_version: Mapped[int] = mapped_column(Integer)
    weight_cap: Mapped[float] = mapped_column(Double)
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.COMPLETED)
    executed_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
    rolled_back_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rollback_reason: Mapped[str | None] = mapped_column(Text)
    beacon_round: Mapped[int | None] = mapped_column(BigInteger)
    """LOTTERY4: the committed drand round the keys were mixed with, its randomness and signature."""
    beacon_randomness: Mapped[str | None] = mapped_column(String(64))
    beacon_signature: Mapped[str | None] = mapped_column(Text)
    result_hash: Mapped[str | None] = mapped_column(String(64))
    """LOTTERY4: the ranked draw ids' hash, as the public log binds them (docs/draw-algorithm.md §8.4)."""
    committed: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    """LOTTERY4: the commitment record in force when the run executed (its hash is `commitment`)."""
    frozen_set_id: Mapped[UUID | None] = mapped_column(ForeignKey("frozen_entry_sets.id"))
    """The frozen set drawn from (its eligible entries are the run's inputs); None for runs drawn before
    sets were kept whole: their inputs are in draw_run_snapshots or draw_run_inputs."""

    @property
    def key_seed(self) -> bytes:
        """The AES key the run was drawn under: the seed mixed with its beacon round (LOTTERY4), else the seed."""
        seed = bytes.fromhex(self.seed_hex)
        return seed if self.beacon_randomness is None else key_seed(seed, self.beacon_randomness)

    @property
    def beacon(self) -> BeaconRound | None:
        if self.beacon_round is None or self.beacon_randomness is None or self.beacon_signature is None:
            return None
        return BeaconRound(self.beacon_round, self.beacon_randomness, self.beacon_signature)

    __table_args__ = (
        Index("uq_draw_runs_live", "campaign_id", unique=True,
              postgresql_where=text(f"status = '{RunStatus.COMPLETED}'")),
    )


class DrawRunSnapshot(Base):
    """The eligible entry set exactly as drawn, as two packed arrays (uint64 user ids, float64 weights, both
    little-endian): what audit replay and the export recompute from. One row per run, where a row per
    entrant made a million-entrant execute spend seconds maintaining an index (docs/benchmarks.md)."""

    __tablename__ = "draw_run_snapshots"

    run_id: Mapped[UUID] = mapped_column(ForeignKey("draw_runs.id"), primary_key=True)
    user_ids: Mapped[bytes] = mapped_column(LargeBinary)
    weights: Mapped[bytes] = mapped_column(LargeBinary)
    frozen_set_hash: Mapped[str | None] = mapped_column(String(64))
    """The whole frozen set the run was drawn from (every entry: user id, decision code, weight, packed), so
    its public bundle verifies whatever a later reopen does; None for runs of draws closed unfrozen."""
    frozen_user_ids: Mapped[bytes | None] = mapped_column(LargeBinary)
    frozen_decisions: Mapped[bytes | None] = mapped_column(LargeBinary)
    frozen_weights: Mapped[bytes | None] = mapped_column(LargeBinary)


class FrozenEntrySet(Base):
    """Every entry of a draw as frozen at close: aligned packed arrays in user id order (little-endian
    int64 entry ids, uint64 user ids, uint64 draw ids, int8 decision codes, float64 weights), and the hash
    published with the commitment. Written once and never changed: a close after a reopen writes a new one,
    and each run refers to the set it was drawn from, so its bundle verifies whatever comes later."""

    __tablename__ = "frozen_entry_sets"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("draws.campaign_id"), index=True)
    set_hash: Mapped[str] = mapped_column(String(64))
    algorithm: Mapped[str] = mapped_column(String(16))
    entry_ids: Mapped[bytes] = mapped_column(LargeBinary)
    user_ids: Mapped[bytes] = mapped_column(LargeBinary)
    draw_ids: Mapped[bytes | None] = mapped_column(LargeBinary)
    """None for sets migrated from before draw ids were stored: derived again when read."""
    decisions: Mapped[bytes] = mapped_column(LargeBinary)
    weights: Mapped[bytes] = mapped_column(LargeBinary)


class DrawRunInput(Base):
    """Runs drawn before snapshots: their eligible set, a row per entrant (read only for those)."""

    __tablename__ = "draw_run_inputs"

    run_id: Mapped[UUID] = mapped_column(ForeignKey("draw_runs.id"), primary_key=True)
    kakao_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    weight: Mapped[float] = mapped_column(Double)


class DrawResult(Base):
    __tablename__ = "draw_results"

    run_id: Mapped[UUID] = mapped_column(ForeignKey("draw_runs.id"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    kakao_user_id: Mapped[int] = mapped_column(BigInteger)
    outcome: Mapped[str] = mapped_column(String(20))
    weight: Mapped[float] = mapped_column(Double)
    key: Mapped[float] = mapped_column(Double)


class EntrantProgress(Base):
    """What the server recorded for one entrant in one campaign before the entry (SPEC §9)."""

    __tablename__ = "entrant_progress"

    campaign_id: Mapped[str] = mapped_column(ForeignKey("draws.campaign_id"), primary_key=True)
    kakao_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    intro_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    adgate_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    adgate_utm: Mapped[str | None] = mapped_column(Text)
    """source/medium/campaign of the verified visit, for the sponsor's report."""


class UsedSponsorProof(Base):
    """A sponsor return already used (seed §5): each signed return admits one visit, once."""

    __tablename__ = "used_sponsor_proofs"

    proof_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(100))
    kakao_user_id: Mapped[int] = mapped_column(BigInteger)
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AdGateFailure(Base):
    """A refused sponsor return with its reason (`adgate_verify_fail`, monitored per seed §5.3)."""

    __tablename__ = "adgate_failures"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    campaign_id: Mapped[str] = mapped_column(String(100))
    kakao_user_id: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
