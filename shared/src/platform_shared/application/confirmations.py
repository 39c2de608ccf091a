"""The store behind two-step confirmations (two_step.py), as the use case sees it: request a token, claim it,
record its outcome. `SqlConfirmations` keeps them in PostgreSQL (platform_shared/audit/confirmations.py);
the unit tier's twin keeps them in memory with the same rules: a token is bound to one action on one target,
expires unless confirmed, and a confirmed token answers its outcome."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.audit.confirmations import (
    PendingConfirmation,
    claim_confirmation,
    complete_confirmation,
    request_confirmation,
)


@dataclass(frozen=True)
class Pending:
    """One stored request, as the two steps read it."""

    token: str
    params: dict[str, Any]
    requested_by: str
    expires_at: datetime
    outcome: dict[str, Any] | None = None
    """Set once the token is confirmed: what a repeated confirmation answers."""

    @property
    def confirmed(self) -> bool:
        return self.outcome is not None

    def prepared(self, shown: dict[str, Any]) -> dict[str, Any]:
        """What a prepare step answers: what will happen, and the token that confirms exactly that."""
        return {**shown, "token": self.token, "expires_at": self.expires_at.isoformat()}


class Confirmations(Protocol):
    async def request(self, *, action: str, target: str, params: dict[str, Any], summary: dict[str, Any],
                      actor: str, now: datetime) -> Pending: ...

    async def claim(self, token: str, *, action: str, target: str, now: datetime) -> Pending:
        """The token's request, held for this unit of work (concurrent claims of one token queue, so only the
        first acts). NotFoundError unless it was made for `action` on `target`; ConflictError once it expired,
        unless it was confirmed."""
        ...

    async def complete(self, token: str, *, actor: str, now: datetime, outcome: dict[str, Any]) -> None:
        """Record the outcome on a token this unit claimed."""
        ...


def _pending(row: PendingConfirmation) -> Pending:
    return Pending(row.token, row.params, row.requested_by, row.expires_at,
                   row.outcome if row.confirmed else None)


class SqlConfirmations:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._claimed: dict[str, PendingConfirmation] = {}

    async def request(self, *, action: str, target: str, params: dict[str, Any], summary: dict[str, Any],
                      actor: str, now: datetime) -> Pending:
        return _pending(await request_confirmation(self._session, action=action, target=target, params=params,
                                                   summary=summary, actor=actor, now=now))

    async def claim(self, token: str, *, action: str, target: str, now: datetime) -> Pending:
        row = await claim_confirmation(self._session, token, action=action, target=target, now=now)
        self._claimed[token] = row
        return _pending(row)

    async def complete(self, token: str, *, actor: str, now: datetime, outcome: dict[str, Any]) -> None:
        complete_confirmation(self._claimed[token], actor=actor, now=now, outcome=outcome)
