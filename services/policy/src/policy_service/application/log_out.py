"""Logging out (SPEC §7): this login ends; its refresh token stops working, and its access tokens stop working
on every service within moments (`admin_sessions`, read by each process into its revocations)."""

from dataclasses import dataclass

from platform_shared.auth.tokens import Principal
from platform_shared.contracts import topics
from platform_shared.contracts.events import AdminSessionEnded
from platform_shared.messaging import outbox
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
            await outbox.enqueue(session, topics.ADMIN_SESSIONS, [AdminSessionEnded(
                occurred_at=login.ended_at, session_id=login.id, account=login.account)])
