"""Asking for a 2FA reset when a device is lost (seed §10: backup codes first; without them, a reset approved
by the PM): the holder's half. Their password proves who asks (the second factor is what was lost); a wrong
one counts towards the lock, as at login."""

import secrets
from dataclasses import dataclass

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.errors import UnauthenticatedError
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.models import TwoFactorReset
from policy_service.application.login_attempts import REFUSED, count_failure, holder_of, password_match
from policy_service.application.login_throttle import LoginThrottle
from policy_service.domain.resets import ResetStatus


@dataclass(frozen=True)
class RequestReset:
    account: str
    password: str
    reason: str


async def request_reset(units: UnitsOfWork[None], throttle: LoginThrottle, command: RequestReset) -> str:
    """The new request's id. A failure counts towards the name's lock as at login, known name or not."""
    name = command.account
    matched = await password_match(units, throttle, name, command.password)
    async with units.begin() as uow:
        store, now = AccountStore(uow.session), uow.now
        account, known = await holder_of(store, name, matched, now)
        if not known:
            await count_failure(uow, account, name, "auth.2fa_reset_request_refused")
        else:
            reset = TwoFactorReset(id=secrets.token_hex(16), account=name, reason=command.reason,
                                   status=ResetStatus.REQUESTED, requested_at=now)
            await store.add_reset(reset)
            await uow.audit(actor=name, action="auth.2fa_reset_requested",
                            target=f"account:{name}", reason=command.reason, after={"request_id": reset.id})
    if not known:
        throttle.count_failure(name, now)
        raise UnauthenticatedError(REFUSED)
    return reset.id
