"""Enrolling after an approved 2FA reset (seed §10): the holder takes the new TOTP secret and backup codes,
once, with their password; only they ever see them."""

from dataclasses import dataclass

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.errors import UnauthenticatedError
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.hashing import hashed_all
from policy_service.application.create_account import Enrolment
from policy_service.application.login_attempts import REFUSED, count_failure, holder_of, password_match
from policy_service.application.login_throttle import LoginThrottle
from policy_service.domain.credentials import new_backup_codes, provisioning_uri
from policy_service.domain.resets import enrolled


@dataclass(frozen=True)
class EnrolAfterReset:
    request_id: str
    account: str
    password: str


async def enrol_after_reset(units: UnitsOfWork[None], throttle: LoginThrottle, command: EnrolAfterReset) -> Enrolment:
    """A failure counts towards the name's lock as at login, known name or not."""
    name = command.account
    matched = await password_match(units, throttle, name, command.password)
    codes = new_backup_codes()
    code_hashes = await hashed_all(codes)
    async with units.begin() as uow:
        store, now = AccountStore(uow.session), uow.now
        reset = await store.lock_reset(command.request_id)  # the request before the account, as approval takes them
        account, known = await holder_of(store, name, matched, now)
        if not known or account is None or reset is None or reset.account != name:
            await count_failure(uow, account, name, "auth.2fa_enrol_refused")
        else:
            status = enrolled(reset.status)
            await store.replace_backup_codes(name, code_hashes)
            reset.status, reset.enrolled_at = status, now
            await uow.audit(actor=name, action="auth.2fa_enrolled", target=f"account:{name}",
                            after={"request_id": reset.id})
            enrolment = Enrolment(name, account.role, account.totp_secret,
                                  provisioning_uri(account.totp_secret, name), codes)
    if not known or account is None or reset is None or reset.account != name:
        throttle.count_failure(name, now)
        raise UnauthenticatedError(REFUSED)
    return enrolment
