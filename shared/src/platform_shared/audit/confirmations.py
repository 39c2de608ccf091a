"""Two-step confirmation for risky actions (SPEC §1: "confirmed twice").

Step one stores what will happen under a random token and shows it; step two names the token.
Confirming a token twice returns the first outcome instead of acting again, and a token is bound to
one action on one target and expires.
"""

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, String, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from platform_shared.db.engine import MessagingBase
from platform_shared.errors import ConflictError, NotFoundError

DEFAULT_TTL = timedelta(minutes=15)


class PendingConfirmation(MessagingBase):
    __tablename__ = "pending_confirmations"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    summary: Mapped[dict[str, Any]] = mapped_column(JSONB)
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[str | None] = mapped_column(String(100))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSONB)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    def prepared(self, shown: dict[str, Any]) -> dict[str, Any]:
        """What a prepare step answers: what will happen, and the token that confirms exactly that."""
        return {**shown, "token": self.token, "expires_at": self.expires_at.isoformat()}


async def request_confirmation(
    session: AsyncSession, *, action: str, target: str, params: dict[str, Any], summary: dict[str, Any],
    actor: str, now: datetime, ttl: timedelta = DEFAULT_TTL,
) -> PendingConfirmation:
    pending = PendingConfirmation(
        token=secrets.token_urlsafe(24), action=action, target=target, params=params, summary=summary,
        requested_by=actor, requested_at=now, expires_at=now + ttl,
    )
    session.add(pending)
    await session.flush()
    return pending


async def claim_confirmation(session: AsyncSession, token: str, *, action: str, target: str,
                             now: datetime) -> PendingConfirmation:
    """Lock the token for this transaction. A confirmed token comes back as it is (check `.confirmed`);
    concurrent confirmations of one token queue here, so only the first acts."""
    pending = await session.scalar(
        select(PendingConfirmation).where(PendingConfirmation.token == token).with_for_update())
    if pending is None or pending.action != action or pending.target != target:
        raise NotFoundError(f"no pending {action} for {target} with this token", field="token")
    if not pending.confirmed and pending.expires_at <= now:
        raise ConflictError(f"the confirmation token expired at {pending.expires_at.isoformat()}; prepare again",
                            field="token")
    return pending


async def awaiting_confirmation(session: AsyncSession, *, action: str, target: str,
                                now: datetime) -> list[PendingConfirmation]:
    """The requests of one action on one target nobody confirmed yet and still valid, oldest first: what a
    second operator reviews before confirming one (an approval they can read, not a token handed over blind)."""
    return list((await session.scalars(select(PendingConfirmation).where(
        PendingConfirmation.action == action, PendingConfirmation.target == target,
        PendingConfirmation.confirmed_at.is_(None), PendingConfirmation.expires_at > now)
        .order_by(PendingConfirmation.requested_at))).all())


def complete_confirmation(pending: PendingConfirmation, *, actor: str, now: datetime,
                          outcome: dict[str, Any]) -> None:
    pending.confirmed_by, pending.confirmed_at, pending.outcome = actor, now, outcome
