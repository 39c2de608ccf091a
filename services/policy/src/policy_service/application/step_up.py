"""Stepping up (SPEC §7): a fresh second factor for this login; sensitive actions accept it for the next five
minutes. A wrong one counts towards the lock, as at login."""

from dataclasses import dataclass

from platform_shared.auth.tokens import Principal
from platform_shared.errors import UnauthenticatedError
from policy_service.adapters.account_store import AccountStore
from policy_service.application.login_attempts import REFUSED, clear_failures, count_failure, refuse_while_locked
from policy_service.application.login_sessions import Logins, SecondFactor, Tokens, is_active, second_factor


@dataclass(frozen=True)
class StepUp:
    caller: Principal
    factor: SecondFactor


async def step_up(logins: Logins, command: StepUp) -> Tokens:
    caller = command.caller
    async with logins.units.begin() as uow:
        store, now = AccountStore(uow.session), uow.now
        account = await store.lock(caller.account)
        login = await store.lock_session(caller.session_id)
        if account is None or login is None or not is_active(login, account, now):
            raise UnauthenticatedError("this login has ended; log in again")
        refuse_while_locked(account, now)
        amr = await second_factor(store, account, command.factor, now)
        if amr is None:
            await count_failure(uow, account, account.name, "auth.step_up_refused")
        else:
            login.auth_time, login.amr = now, " ".join(amr)
            clear_failures(account)
            await uow.audit(actor=account.name, action="auth.step_up",
                            target=f"account:{account.name}", after={"amr": list(amr)})
            access = logins.access_token(account, login)
    if amr is None:
        raise UnauthenticatedError(REFUSED)
    return Tokens(access, None)
