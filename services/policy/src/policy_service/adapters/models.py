"""Policy's own tables: every version ever confirmed, newest last, and the backups taken of them; and the
admin accounts, their backup codes and login sessions (the policy service owns admin identity)."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Integer, MetaData, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from platform_shared.db.engine import NAMING_CONVENTION


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PolicyVersion(Base):
    __tablename__ = "policy_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[dict[str, object]] = mapped_column(JSONB)
    created_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
    impact_memo: Mapped[str] = mapped_column(Text, server_default=text("''"))
    """What the proposer expects the change to do (seed §8.1)."""
    proposed_against: Mapped[int | None] = mapped_column(Integer)
    """The version the change was proposed on (the one it replaced)."""
    restored_from: Mapped[int | None] = mapped_column(Integer)
    """Set on a rollback: the earlier version this one equals."""
    scope: Mapped[list[str] | None] = mapped_column(JSONB(none_as_null=True))
    """The campaigns a partial change was made for; None (SQL NULL, not JSON null: a restore writes None
    explicitly) when it applies to the whole platform."""


class AdminAccount(Base):
    """A whitelisted person (SPEC §7): only accounts created by the `policy-admin create` command exist."""

    __tablename__ = "admin_accounts"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(Text)
    """argon2id"""
    totp_secret: Mapped[str] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    """The last TOTP time step accepted: a code of this step or older is a replay."""
    failed_logins: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    tokens_valid_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Sessions (refresh tokens) started before this moment are void (a 2FA reset sets it)."""
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BackupCode(Base):
    __tablename__ = "admin_backup_codes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(ForeignKey("admin_accounts.name", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(Text)
    """argon2id of the code; the code itself was shown once"""
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AdminSession(Base):
    """One login: its refresh token (kept as a SHA-256: it is 256 random bits) rotates at each refresh."""

    __tablename__ = "admin_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(ForeignKey("admin_accounts.name", ondelete="CASCADE"), index=True)
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)
    amr: Mapped[str] = mapped_column(String(40))
    """space-separated authentication methods of the latest factor entered"""
    auth_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TwoFactorReset(Base):
    """A lost device (seed §10): the account holder asks, a *different* account with role pm approves with
    its own fresh second factor; the holder then enrols the new secret, shown to them alone."""

    __tablename__ = "admin_2fa_resets"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(ForeignKey("admin_accounts.name", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    """requested → approved → enrolled"""
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    enrolled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PolicyBackup(Base):
    """One slot of the backup schedule (seed §15), taken: the row is how replicas agree that exactly one of
    them wrote the slot's file."""

    __tablename__ = "policy_backups"

    slot_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    file_name: Mapped[str] = mapped_column(Text)
    versions: Mapped[int] = mapped_column(Integer)
    """How many versions the file holds."""
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    taken_by: Mapped[str] = mapped_column(Text)
    """The process (host:pid) that wrote it."""


class KakaoLoginWindowRow(Base):
    """One Kakao edge replica's time window (seed §9.3), at the highest revision it reported."""

    __tablename__ = "kakao_login_windows"

    service: Mapped[str] = mapped_column(String(50), primary_key=True)
    instance: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True, index=True)
    window_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revision: Mapped[int] = mapped_column(Integer)
    failures: Mapped[dict[str, int]] = mapped_column(JSONB)
    """reason → refused logins and tokens"""
    issuer_down: Mapped[bool] = mapped_column(Boolean)
    issuer_up: Mapped[bool | None] = mapped_column(Boolean)
    recovered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KakaoOutageRow(Base):
    """A Kakao login outage as the fleet saw it (seed §9.2, §9.3): open while `ended_at` is None."""

    __tablename__ = "kakao_outages"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    down_replicas: Mapped[list[str]] = mapped_column(JSONB)
    """service/instance of each replica that saw the issuer fail and has not seen it answer since"""
