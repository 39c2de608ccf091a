"""Approving a 2FA reset (seed §10): the PM's half. A *different* account with role pm approves, with its own
fresh second factor (the route is sensitive); the approval voids the old secret, the backup codes and every
login of the account. Approving one's own reset is refused, and the attempt audited; the approval names both."""

from dataclasses import dataclass
from datetime import datetime

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.auth.tokens import Principal
from platform_shared.contracts import topics
from platform_shared.contracts.events import AdminAccountChanged
from platform_shared.errors import ForbiddenError, NotFoundError
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.models import AdminAccount, TwoFactorReset
from policy_service.application.login_attempts import clear_failures
from policy_service.domain.credentials import new_totp_secret
from policy_service.domain.resets import approved


@dataclass(frozen=True)
class ApproveReset:
    request_id: str
    approver: Principal
    reason: str


async def approve_reset(units: UnitsOfWork[None], command: ApproveReset) -> TwoFactorReset:
    approver = command.approver
    async with units.begin() as uow:
        store, now = AccountStore(uow.session), uow.now
        reset = await store.lock_reset(command.request_id)
        if reset is None:
            raise NotFoundError(f"no 2FA reset request {command.request_id}", field="request_id")
        own = reset.account == approver.account
        if own:
            await uow.audit(actor=approver.account, action="auth.2fa_reset_refused",
                            target=f"account:{reset.account}", reason="approver is the account holder",
                            after={"request_id": reset.id})
        else:
            status = approved(reset.status)
            account = await store.lock(reset.account)
            assert account is not None, "a reset request belongs to an account (foreign key)"
            await _void_second_factor(store, account, now)
            await uow.publish(topics.ADMIN_ACCOUNTS, [AdminAccountChanged(
                occurred_at=now, account=account.name, role=account.role, tokens_valid_after=now)])
            reset.status, reset.approved_by, reset.approved_at = status, approver.account, now
            await uow.audit(actor=approver.account, action="auth.2fa_reset",
                            target=f"account:{reset.account}", reason=command.reason,
                            after={"request_id": reset.id, "requested_by": reset.account,
                                   "approved_by": approver.account})
    if own:
        raise ForbiddenError("a 2FA reset needs a second person: another account with role pm approves it")
    return reset


async def _void_second_factor(store: AccountStore, account: AdminAccount, now: datetime) -> None:
    """The lost device's secret and the old backup codes stop working, and so does every login."""
    account.totp_secret, account.totp_last_step = new_totp_secret(), None
    clear_failures(account)
    account.tokens_valid_after = now
    await store.replace_backup_codes(account.name, [])
    await store.end_sessions(account.name, now)
