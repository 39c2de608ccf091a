"""2FA reset when a device is lost (seed §10: backup codes first; without them, a reset approved by the PM).
The account holder asks with their password; a *different* account with role pm approves, with its own
fresh second factor (the route is sensitive); the approval voids the old secret, the backup codes and every
login of the account; the holder then enrols the new secret, which only they ever see. All audited, with
both names on the approval."""

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.auth.tokens import Principal
from platform_shared.contracts import topics
from platform_shared.contracts.events import AdminAccountChanged
from platform_shared.errors import ForbiddenError, InvalidStateError, NotFoundError, UnauthenticatedError
from platform_shared.time.clock import Clock
from policy_service.application.accounts import Enrolment
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.hashing import hash_secret
from policy_service.domain.credentials import new_backup_codes, new_totp_secret, provisioning_uri
from policy_service.application.logins import REFUSED, count_failure, holder_of
from policy_service.adapters.models import AdminAccount, TwoFactorReset


class ResetService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock
        self._units = UnitsOfWork(sessions, clock)

    async def request(self, name: str, password: str, reason: str) -> str:
        """The holder's half: their password proves who asks (the second factor is what was lost)."""
        async with self._units.begin() as uow:
            store, now = AccountStore(uow.session), uow.now
            account, known = await holder_of(store, name, password, now)
            if not known:
                await count_failure(uow, account, name, "auth.2fa_reset_request_refused")
            else:
                reset = TwoFactorReset(id=secrets.token_hex(16), account=name, reason=reason, status="requested",
                                       requested_at=now)
                await store.add_reset(reset)
                await uow.audit(actor=name, action="auth.2fa_reset_requested",
                                target=f"account:{name}", reason=reason, after={"request_id": reset.id})
        if not known:
            raise UnauthenticatedError(REFUSED)
        return reset.id

    async def open_requests(self) -> Sequence[TwoFactorReset]:
        async with self._sessions() as session:
            return await AccountStore(session).open_resets()

    async def approve(self, reset_id: str, approver: Principal, reason: str) -> TwoFactorReset:
        """The PM's half. Approving one's own reset is refused, and the attempt audited."""
        async with self._units.begin() as uow:
            store, now = AccountStore(uow.session), uow.now
            reset = await store.lock_reset(reset_id)
            if reset is None:
                raise NotFoundError(f"no 2FA reset request {reset_id}", field="request_id")
            own = reset.account == approver.account
            if own:
                await uow.audit(actor=approver.account, action="auth.2fa_reset_refused",
                                target=f"account:{reset.account}", reason="approver is the account holder",
                                after={"request_id": reset.id})
            else:
                if reset.status != "requested":
                    raise InvalidStateError(f"this request is already {reset.status}")
                account = await store.lock(reset.account)
                assert account is not None, "a reset request belongs to an account (foreign key)"
                await self._void_second_factor(store, account, now)
                await uow.publish(topics.ADMIN_ACCOUNTS, [AdminAccountChanged(
                    occurred_at=now, account=account.name, role=account.role, tokens_valid_after=now)])
                reset.status, reset.approved_by, reset.approved_at = "approved", approver.account, now
                await uow.audit(actor=approver.account, action="auth.2fa_reset",
                                target=f"account:{reset.account}", reason=reason,
                                after={"request_id": reset.id, "requested_by": reset.account,
                                       "approved_by": approver.account})
        if own:
            raise ForbiddenError("a 2FA reset needs a second person: another account with role pm approves it")
        return reset

    async def enrol(self, reset_id: str, name: str, password: str) -> Enrolment:
        """The holder takes the new secret and backup codes, once, with their password."""
        async with self._units.begin() as uow:
            store, now = AccountStore(uow.session), uow.now
            reset = await store.lock_reset(reset_id)  # the request before the account, as approval takes them
            account, known = await holder_of(store, name, password, now)
            if not known or account is None or reset is None or reset.account != name:
                await count_failure(uow, account, name, "auth.2fa_enrol_refused")
            else:
                if reset.status != "approved":
                    raise InvalidStateError(f"this request is {reset.status}; only an approved reset can be enrolled")
                codes = new_backup_codes()
                await store.replace_backup_codes(name, [hash_secret(code) for code in codes])
                reset.status, reset.enrolled_at = "enrolled", now
                await uow.audit(actor=name, action="auth.2fa_enrolled", target=f"account:{name}",
                                after={"request_id": reset.id})
                enrolment = Enrolment(name, account.role, account.totp_secret,
                                      provisioning_uri(account.totp_secret, name), codes)
        if not known or account is None or reset is None or reset.account != name:
            raise UnauthenticatedError(REFUSED)
        return enrolment

    @staticmethod
    async def _void_second_factor(store: AccountStore, account: AdminAccount, now: datetime) -> None:
        """The lost device's secret and the old backup codes stop working, and so does every login."""
        account.totp_secret, account.totp_last_step = new_totp_secret(), None
        account.failed_logins, account.locked_until = 0, None
        account.tokens_valid_after = now
        await store.replace_backup_codes(account.name, [])
        await store.end_sessions(account.name, now)
