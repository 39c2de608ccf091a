"""Logging in (SPEC §7, seed §2 "admin whitelist + 2FA"): password and a second factor → a short-lived
access token and a refresh token; step-up renews the second factor for sensitive actions; refresh and
logout. Failed attempts are kept (audited, and counted towards the lock) even though the request fails."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.unit_of_work import SqlUnitOfWork, UnitsOfWork
from platform_shared.auth.tokens import ACCESS_TOKEN_TTL, Principal, TokenSigner
from platform_shared.errors import TooManyAttemptsError, UnauthenticatedError
from platform_shared.time.clock import Clock
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.hashing import secret_matches
from policy_service.domain.credentials import accepted_step, lock_after, lockout, normalise_backup_code
from policy_service.adapters.models import AdminAccount, AdminSession

SESSION_LIFETIME = timedelta(hours=12)
REFUSED = "account, password or code is wrong"
"""One message for every failure, so a caller cannot tell which part was wrong or whether the account exists."""


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


class LoginService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, signer: TokenSigner) -> None:
        self._sessions = sessions
        self._clock = clock
        self._units = UnitsOfWork(sessions, clock)
        self._signer = signer

    async def login(self, name: str, password: str, factor: SecondFactor) -> Tokens:
        async with self._units.begin() as uow:
            store, now = AccountStore(uow.session), uow.now
            account, password_ok = await holder_of(store, name, password, now)
            amr = None
            if password_ok and account is not None:
                amr = await self._second_factor(store, account, factor, now)
            if account is None or amr is None:
                await count_failure(uow, account, name, "auth.login_refused")
            else:
                tokens = await self._start(store, account, amr, now)
                await uow.audit(actor=name, action="auth.login", target=f"account:{name}", after={"amr": list(amr)})
        if account is None or amr is None:
            raise UnauthenticatedError(REFUSED)
        return tokens

    async def step_up(self, caller: Principal, factor: SecondFactor) -> Tokens:
        """A fresh second factor for this login: sensitive actions accept it for the next five minutes."""
        async with self._units.begin() as uow:
            store, now = AccountStore(uow.session), uow.now
            account = await store.lock(caller.account)
            login = await store.lock_session(caller.session_id)
            if account is None or login is None or not _active(login, account, now):
                raise UnauthenticatedError("this login has ended; log in again")
            refuse_while_locked(account, now)
            amr = await self._second_factor(store, account, factor, now)
            if amr is None:
                await count_failure(uow, account, account.name, "auth.step_up_refused")
            else:
                login.auth_time, login.amr = now, " ".join(amr)
                account.failed_logins, account.locked_until = 0, None
                await uow.audit(actor=account.name, action="auth.step_up",
                                target=f"account:{account.name}", after={"amr": list(amr)})
                access = self._access_token(account, login)
        if amr is None:
            raise UnauthenticatedError(REFUSED)
        return Tokens(access, None)

    async def refresh(self, refresh_token: str) -> Tokens:
        """A new access token (and a new refresh token: each is good once) for a login still valid."""
        async with self._sessions.begin() as session:
            store, now = AccountStore(session), self._clock.now()
            # The account's lock first, then the login's, as step-up and logout take them: no deadlock.
            found = await store.session_by_refresh(_digest(refresh_token), lock=False)
            account = await store.lock(found.account) if found else None
            login = await store.session_by_refresh(_digest(refresh_token)) if account else None
            if login is None or account is None or not _active(login, account, now):
                raise UnauthenticatedError("the refresh token is not valid; log in again")
            refresh = secrets.token_urlsafe(32)
            login.refresh_hash = _digest(refresh)
            return Tokens(self._access_token(account, login), refresh)

    async def logout(self, caller: Principal) -> None:
        async with self._sessions.begin() as session:
            login = await AccountStore(session).lock_session(caller.session_id)
            if login is not None and login.ended_at is None:
                login.ended_at = self._clock.now()

    async def _second_factor(self, store: AccountStore, account: AdminAccount, factor: SecondFactor,
                             now: datetime) -> tuple[str, ...] | None:
        if factor.totp is not None:
            step = accepted_step(account.totp_secret, factor.totp, now, account.totp_last_step)
            if step is None:
                return None
            account.totp_last_step = step
            return ("pwd", "otp")
        if factor.backup_code is not None:
            typed = normalise_backup_code(factor.backup_code)
            for code in await store.unused_backup_codes(account.name):
                if secret_matches(code.code_hash, typed):
                    code.used_at = now
                    return ("pwd", "backup")
        return None

    async def _start(self, store: AccountStore, account: AdminAccount, amr: tuple[str, ...], now: datetime) -> Tokens:
        account.failed_logins, account.locked_until = 0, None
        refresh = secrets.token_urlsafe(32)
        login = AdminSession(id=secrets.token_hex(16), account=account.name, refresh_hash=_digest(refresh),
                             amr=" ".join(amr), auth_time=now, started_at=now, expires_at=now + SESSION_LIFETIME)
        await store.start_session(login)
        return Tokens(self._access_token(account, login), refresh)

    def _access_token(self, account: AdminAccount, login: AdminSession) -> str:
        return self._signer.access_token(account=account.name, role=account.role, amr=tuple(login.amr.split()),
                                         auth_time=login.auth_time, session_id=login.id)


async def holder_of(store: AccountStore, name: str, password: str, now: datetime) -> tuple[AdminAccount | None, bool]:
    """The named account, locked, and whether `password` is its password; refused (429) while the account
    is locked. An unknown name costs the same argon2 time as a wrong password."""
    account = await store.lock(name)
    refuse_while_locked(account, now)
    return account, secret_matches(account.password_hash if account else None, password) and account is not None


def refuse_while_locked(account: AdminAccount | None, now: datetime) -> None:
    locked = lockout(account.locked_until, now) if account else None
    if locked is not None:
        raise TooManyAttemptsError("too many failed attempts: this account is locked for now",
                                   retry_after_seconds=locked.seconds_left(now))


async def count_failure(uow: SqlUnitOfWork[None], account: AdminAccount | None, name: str, action: str) -> None:
    """Kept although the request fails: the count drives the lock, the audit shows the attempt."""
    after: dict[str, object] = {"known_account": account is not None}
    if account is not None:
        account.failed_logins += 1
        lock = lock_after(account.failed_logins)
        account.locked_until = uow.now + lock if lock else None
        after |= {"failed_logins": account.failed_logins, "locked_until": account.locked_until}
    # An unknown name is not recorded: people type their password into the account field.
    named = name if account is not None else "<unknown account>"
    await uow.audit(actor=named, action=action, target=f"account:{named}", after=after)


def _active(login: AdminSession, account: AdminAccount, now: datetime) -> bool:
    revoked = account.tokens_valid_after is not None and login.started_at < account.tokens_valid_after
    return login.ended_at is None and login.expires_at > now and not revoked


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
