"""Logging in (SPEC §7, seed §2 "admin whitelist + 2FA"): password and a second factor → a short-lived access
token and a refresh token. Attempts are throttled per address and per name, known or not (login_throttle.py);
wrong five times in a row locks the account (login_attempts.py); a replayed TOTP code is refused, not counted."""

from dataclasses import dataclass

from platform_shared.errors import UnauthenticatedError
from policy_service.adapters.account_store import AccountStore
from policy_service.application.login_attempts import REFUSED, count_failure, holder_of, password_match, refuse_replay
from policy_service.application.login_sessions import (
    Logins,
    SecondFactor,
    Tokens,
    replayed,
    second_factor,
    start_login,
)


@dataclass(frozen=True)
class LogIn:
    account: str
    password: str
    factor: SecondFactor
    address: str | None = None
    """The client's address (the TCP peer), for the throttle."""


async def log_in(logins: Logins, command: LogIn) -> Tokens:
    name, throttle = command.account, logins.throttle
    await throttle.admit(command.address, name)
    matched = await password_match(logins.units, throttle, name, command.password)
    failed = False
    async with logins.units.begin() as uow:
        store, now = AccountStore(uow.session), uow.now
        account, password_ok = await holder_of(store, name, matched, now)
        amr = None
        if password_ok and account is not None:
            amr = await second_factor(store, account, command.factor, now)
        if account is not None and amr is not None:
            tokens = await start_login(logins, store, account, amr, now)
            await uow.audit(actor=name, action="auth.login", target=f"account:{name}", after={"amr": list(amr)})
        elif password_ok and account is not None and replayed(account, command.factor, now):
            await refuse_replay(uow, account, "auth.login_refused")
        else:
            await count_failure(uow, account, name, "auth.login_refused")
            failed = True
    if failed:
        throttle.count_failure(name, now)
    elif amr is not None:
        throttle.clear_failures(name)
    if account is None or amr is None:
        raise UnauthenticatedError(REFUSED)
    return tokens
