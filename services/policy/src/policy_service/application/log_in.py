"""Logging in (SPEC §7, seed §2 "admin whitelist + 2FA"): password and a second factor → a short-lived access
token and a refresh token. Wrong five times in a row locks the account (login_attempts.py)."""

from dataclasses import dataclass

from platform_shared.errors import UnauthenticatedError
from policy_service.adapters.account_store import AccountStore
from policy_service.application.login_attempts import REFUSED, count_failure, holder_of
from policy_service.application.login_sessions import Logins, SecondFactor, Tokens, second_factor, start_login


@dataclass(frozen=True)
class LogIn:
    account: str
    password: str
    factor: SecondFactor


async def log_in(logins: Logins, command: LogIn) -> Tokens:
    name = command.account
    async with logins.units.begin() as uow:
        store, now = AccountStore(uow.session), uow.now
        account, password_ok = await holder_of(store, name, command.password, now)
        amr = None
        if password_ok and account is not None:
            amr = await second_factor(store, account, command.factor, now)
        if account is None or amr is None:
            await count_failure(uow, account, name, "auth.login_refused")
        else:
            tokens = await start_login(logins, store, account, amr, now)
            await uow.audit(actor=name, action="auth.login", target=f"account:{name}", after={"amr": list(amr)})
    if account is None or amr is None:
        raise UnauthenticatedError(REFUSED)
    return tokens
