"""Signing in, stepping up and keeping a sign-in alive, all through the policy service (SPEC §7): the console
checks no password and no code itself; it keeps what the policy service answers."""

from collections.abc import Callable
from datetime import datetime

from console_service.domain.session import ConsoleSession
from platform_shared.auth.access import Role
from platform_shared.client.errors import NotAuthenticated, Refused
from platform_shared.client.policy import PolicyClient
from platform_shared.contracts.admin.identity import LoginIn, RefreshIn, SecondFactorIn


def second_factor(code: str) -> dict[str, str]:
    """Six digits are the authenticator's code; anything else is taken for a backup code."""
    code = code.strip().replace(" ", "")
    return {"totp": code} if code.isdigit() and len(code) == 6 else {"backup_code": code}


def sign_in(policy: PolicyClient, as_operator: Callable[[str], PolicyClient], account: str, password: str,
            code: str, now: datetime) -> ConsoleSession:
    """`policy` (no token) answers the login; the role is then read as the operator (GET /auth/me): the
    console trusts what the policy service says of a token, not what it could decode from it."""
    tokens = policy.login(LoginIn.model_validate({"account": account, "password": password, **second_factor(code)}))
    me = as_operator(tokens.access_token).me()
    return ConsoleSession.begin(me.account, Role(me.role), tokens.access_token, tokens.refresh_token, now)


def step_up(policy: PolicyClient, session: ConsoleSession, code: str) -> ConsoleSession:
    """A fresh second factor on the same login: the services then take this operator's sensitive actions for
    five minutes (auth/access.py STEP_UP_WINDOW)."""
    tokens = policy.step_up(SecondFactorIn.model_validate(second_factor(code)))
    return session.with_tokens(tokens.access_token, tokens.refresh_token)


def refreshed(policy: PolicyClient, session: ConsoleSession) -> ConsoleSession | None:
    """The same login with a new access token once the old one expired (every 15 minutes), or None when the
    login itself has ended: a logout, a 2FA reset of the account, or its refresh token already used."""
    if session.refresh_token is None:
        return None
    try:
        tokens = policy.refresh(RefreshIn(refresh_token=session.refresh_token))
    except (NotAuthenticated, Refused):
        return None
    return session.with_tokens(tokens.access_token, tokens.refresh_token)
