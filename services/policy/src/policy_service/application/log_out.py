"""Logging out (SPEC §7): this login ends; its refresh token stops working."""

from dataclasses import dataclass

from platform_shared.auth.tokens import Principal
from policy_service.adapters.account_store import AccountStore
from policy_service.application.login_sessions import Logins


@dataclass(frozen=True)
class LogOut:
    caller: Principal


async def log_out(logins: Logins, command: LogOut) -> None:
    async with logins.sessions.begin() as session:
        login = await AccountStore(session).lock_session(command.caller.session_id)
        if login is not None and login.ended_at is None:
            login.ended_at = logins.clock.now()
