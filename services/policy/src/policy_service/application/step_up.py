"""Stepping up (SPEC §7): a fresh second factor for this login; sensitive actions accept it for the next five
minutes. Throttled and counted as at login: a wrong one counts towards the lock, a replayed TOTP code does not."""

from dataclasses import dataclass

from platform_shared.auth.tokens import Principal
from platform_shared.errors import UnauthenticatedError
from policy_service.adapters.account_store import AccountStore
from policy_service.application.login_attempts import (
    REFUSED,
    clear_failures,
    count_failure,
    refuse_replay,
    refuse_while_locked,
)
from policy_service.application.login_sessions import Logins, SecondFactor, Tokens, is_active, replayed, second_factor


@dataclass(frozen=True)
class StepUp:
    caller: Principal
    factor: SecondFactor
    address: str | None = None
    """The client's address (the TCP peer), for the throttle."""


async def step_up(logins: Logins, command: StepUp) -> Tokens:
    caller, throttle = command.caller, logins.throttle
    await throttle.admit(command.address, caller.account)
    failed = False
    async with logins.units.begin() as uow:
        store, now = AccountStore(uow.session), uow.now
        account = await store.lock(caller.account)
        login = await store.lock_session(caller.session_id)
        if account is None or login is None or not is_active(login, account, now):
            raise UnauthenticatedError("this login has ended; log in again")
        throttle.refuse_while_locked(account.name, now)
        refuse_while_locked(account, now)
        amr = await second_factor(store, account, command.factor, now)
        if amr is not None:
            login.auth_time, login.amr = now, " ".join(amr)
            clear_failures(account)
            await uow.audit(actor=account.name, action="auth.step_up",
                            target=f"account:{account.name}", after={"amr": list(amr)})
            access = logins.access_token(account, login)
        elif replayed(account, command.factor, now):
            await refuse_replay(uow, account, "auth.step_up_refused")
        else:
            await count_failure(uow, account, account.name, "auth.step_up_refused")
            failed = True
    if failed:
        throttle.count_failure(caller.account, now)
    elif amr is not None:
        throttle.clear_failures(caller.account)
    if amr is None:
        raise UnauthenticatedError(REFUSED)
    return Tokens(access, None)
