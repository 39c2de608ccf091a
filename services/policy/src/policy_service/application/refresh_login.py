"""Refreshing a login (SPEC §7): a new access token, and a new refresh token (each is good once), for a
login still valid."""

import secrets
from dataclasses import dataclass

from platform_shared.errors import UnauthenticatedError
from policy_service.adapters.account_store import AccountStore
from policy_service.application.login_sessions import Logins, Tokens, digest, is_active


@dataclass(frozen=True)
class RefreshLogin:
    refresh_token: str


async def refresh_login(logins: Logins, command: RefreshLogin) -> Tokens:
    async with logins.sessions.begin() as session:
        store, now, presented = AccountStore(session), logins.clock.now(), digest(command.refresh_token)
        # The account's lock first, then the login's, as step-up and logout take them: no deadlock.
        found = await store.session_by_refresh(presented, lock=False)
        account = await store.lock(found.account) if found else None
        login = await store.session_by_refresh(presented) if account else None
        if login is None or account is None or not is_active(login, account, now):
            raise UnauthenticatedError("the refresh token is not valid; log in again")
        refresh = secrets.token_urlsafe(32)
        login.refresh_hash = digest(refresh)
        return Tokens(logins.access_token(account, login), refresh)
