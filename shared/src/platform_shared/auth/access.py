"""Who may call what (SPEC §7, §9, seed §2): every route of every service is one of
- public: health, metrics, API documents, the token keys, login, the campaign pages entrants browse;
- entrant: a person logged in with Kakao (a verified Kakao ID token), acting for themselves only;
- role: an authenticated account whose role is listed (reads, and the actions the runbook does not
  call risky: creating a draw, the first step of a two-step action, a manual promotion pass…);
- sensitive: a listed role *and* a second factor entered within the last five minutes (step-up, like
  GitHub's sudo mode) — running or rolling back a draw, changing policy, templates, sending, pausing,
  redriving, resetting 2FA, recalculating weights.
Pure: the web part (web/access.py) applies a service's table to its routes."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from platform_shared.auth.tokens import Principal
from platform_shared.errors import ForbiddenError, UnauthenticatedError

STEP_UP_WINDOW = timedelta(minutes=5)


class Role(StrEnum):
    ADMIN = "admin"
    """The operator."""
    PM = "pm"
    """Backup operator; co-approves a 2FA reset."""
    DATA = "data"
    """Reports, read-only."""
    PARTNER_OPS = "partner_ops"
    """Event review."""


OPERATORS = (Role.ADMIN, Role.PM)
EVERYONE = tuple(Role)

Kind = Literal["public", "entrant", "role", "sensitive"]


@dataclass(frozen=True)
class Access:
    kind: Kind
    roles: frozenset[Role] = frozenset()
    edge: bool = False
    """Reachable by anyone on the internet as part of the entrant edge: small bodies, rate-limited per
    address (and per entrant), web/edge.py."""

    def describe(self) -> str:
        if self.kind in ("public", "entrant"):
            shown = "public" if self.kind == "public" else "entrant (Kakao login)"
            return f"{shown}, edge limits" if self.edge else shown
        roles = "any role" if self.roles == frozenset(Role) else ", ".join(sorted(self.roles))
        return f"{roles} + step-up (second factor ≤ 5 min old)" if self.kind == "sensitive" else roles


PUBLIC = Access("public")
EDGE = Access("public", edge=True)
"""Public and part of the entrant edge: the campaign pages, Kakao login, the offer links."""
ENTRANT = Access("entrant", edge=True)


def role(*roles: Role) -> Access:
    return Access("role", frozenset(roles))


def sensitive(*roles: Role) -> Access:
    return Access("sensitive", frozenset(roles))


def authorize(access: Access, caller: Principal | None, now: datetime, action: str) -> None:
    """Refuse, naming what is missing; return quietly when `caller` may do `action`."""
    if access.kind == "public":
        return
    if caller is None:
        raise UnauthenticatedError(f"{action} needs an access token: log in at the policy service (POST /auth/login) "
                                   "and send it as 'Authorization: Bearer <token>'")
    if caller.role not in access.roles:
        raise ForbiddenError(f"{action} is for role {_names(access.roles)}; account {caller.account!r} has role "
                             f"{caller.role!r}")
    if access.kind == "sensitive" and now - caller.auth_time > STEP_UP_WINDOW:
        raise ForbiddenError(f"{action} is a sensitive action and needs a second factor entered within the last "
                             f"{int(STEP_UP_WINDOW.total_seconds() // 60)} minutes: step up with a TOTP code "
                             "(POST /auth/step-up at the policy service), then retry with the new token")


def _names(roles: Iterable[Role]) -> str:
    return " or ".join(repr(str(role)) for role in sorted(roles))
