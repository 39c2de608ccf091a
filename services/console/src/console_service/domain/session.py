"""A signed-in operator as the console remembers them between requests: who, in which role, the tokens the
policy service gave them, and the secret their forms echo back (CSRF). It travels encrypted in an HttpOnly
cookie (adapters/session_cookie.py), so the page's JavaScript never sees a token."""

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from platform_shared.auth.access import Access, Role


@dataclass(frozen=True)
class ConsoleSession:
    account: str
    role: Role
    access_token: str
    refresh_token: str | None
    csrf: str
    signed_in_at: datetime

    @classmethod
    def begin(cls, account: str, role: Role, access_token: str, refresh_token: str | None,
              now: datetime) -> "ConsoleSession":
        return cls(account, role, access_token, refresh_token, new_csrf_secret(), now)

    def with_tokens(self, access_token: str, refresh_token: str | None) -> "ConsoleSession":
        """After a step-up or a refresh: the same sign-in (and the same CSRF secret), newer tokens."""
        return replace(self, access_token=access_token, refresh_token=refresh_token or self.refresh_token)

    def expired(self, now: datetime, longest: timedelta) -> bool:
        return now - self.signed_in_at > longest

    def may(self, access: Access) -> bool:
        """Whether this operator's role may take a route: what the console offers. The service still decides."""
        return access.kind == "public" or self.role in access.roles


def new_csrf_secret() -> str:
    return secrets.token_urlsafe(32)


def same_secret(expected: str, given: str | None) -> bool:
    """Constant-time: a forged form must not learn the secret from how long a refusal took."""
    return given is not None and secrets.compare_digest(expected.encode(), given.encode())
