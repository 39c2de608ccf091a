"""Logins (SPEC §7): a password and a second factor start one; it lives for `SESSION_LIFETIME`, holds a
rotating refresh token (kept as a SHA-256), and ends at logout or when its account's tokens are voided (a 2FA
reset). What log_in.py, step_up.py, refresh_login.py and log_out.py share."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.auth.tokens import ACCESS_TOKEN_TTL, TokenSigner
from platform_shared.time.clock import Clock
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.hashing import matches
from policy_service.adapters.models import AdminAccount, AdminSession
from policy_service.application.login_attempts import clear_failures
from policy_service.application.login_throttle import LoginThrottle
from policy_service.domain.credentials import accepted_step, normalise_backup_code, replayed_step

SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True)
class SecondFactor:
    totp: str | None = None
    backup_code: str | None = None


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str | None
    expires_in: int = int(ACCESS_TOKEN_TTL.total_seconds())
    token_type: str = "Bearer"


@dataclass(frozen=True)
class Logins:
    """The identity database, the key access tokens are signed with, and how fast anyone may try."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    signer: TokenSigner
    throttle: LoginThrottle

    @property
    def units(self) -> UnitsOfWork[None]:
        return UnitsOfWork(self.sessions, self.clock)

    def access_token(self, account: AdminAccount, login: AdminSession) -> str:
        return self.signer.access_token(account=account.name, role=account.role, amr=tuple(login.amr.split()),
                                        auth_time=login.auth_time, session_id=login.id)


async def second_factor(store: AccountStore, account: AdminAccount, factor: SecondFactor,
                        now: datetime) -> tuple[str, ...] | None:
    """The authentication methods `factor` proves (used up: a TOTP step or a backup code counts once), or None."""
    if factor.totp is not None:
        step = accepted_step(account.totp_secret, factor.totp, now, account.totp_last_step)
        if step is None:
            return None
        account.totp_last_step = step
        return ("pwd", "otp")
    if factor.backup_code is not None:
        typed = normalise_backup_code(factor.backup_code)
        for code in await store.unused_backup_codes(account.name):
            if await matches(code.code_hash, typed):
                code.used_at = now
                return ("pwd", "backup")
    return None


def replayed(account: AdminAccount, factor: SecondFactor, now: datetime) -> bool:
    """Whether `factor`, refused, was a TOTP code of a step this account already used (not counted as a failure)."""
    return factor.totp is not None and replayed_step(account.totp_secret, factor.totp, now, account.totp_last_step)


async def start_login(logins: Logins, store: AccountStore, account: AdminAccount, amr: tuple[str, ...],
                      now: datetime) -> Tokens:
    clear_failures(account)
    refresh = secrets.token_urlsafe(32)
    login = AdminSession(id=secrets.token_hex(16), account=account.name, refresh_hash=digest(refresh),
                         amr=" ".join(amr), auth_time=now, started_at=now, expires_at=now + SESSION_LIFETIME)
    await store.start_session(login)
    return Tokens(logins.access_token(account, login), refresh)


def is_active(login: AdminSession, account: AdminAccount, now: datetime) -> bool:
    revoked = account.tokens_valid_after is not None and login.started_at < account.tokens_valid_after
    return login.ended_at is None and login.expires_at > now and not revoked


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
