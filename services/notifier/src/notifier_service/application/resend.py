"""Manual resend of a segment (runbook §6.4), in two steps: prepare shows how many notifications the segment
holds (never any already sent, nor a rolled-back draw's) and gives a token; confirm queues them again, as if new,
audited. The same token twice queues once."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.notification_store import NotificationStore
from notifier_service.domain.resend import Resend, Segment
from platform_shared.application.two_step import Acted, Requested, TwoStep
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.time.clock import Clock

RESEND = TwoStep("notifications.resend", Resend)
"""The command is `Resend` (domain/resend.py): the segment and the reason, stored under the token."""


class ResendSegment:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._units = UnitsOfWork(sessions, clock)

    async def prepare_resend(self, segment: Segment, actor: str, reason: str) -> dict[str, Any]:
        async with self._units.begin() as uow:
            count = await NotificationStore(uow.session).count(segment)
            shown = {"notifications": count, "segment": {**segment.as_params(), "reason": reason}}
            return await RESEND.request(uow, target="notifications", params=Resend.of(segment, reason), shown=shown,
                                        actor=actor, summary={"notifications": count})

    async def confirm_resend(self, token: str, actor: str) -> dict[str, Any]:
        async with self._units.begin() as uow:

            async def resend(request: Requested[Resend]) -> Acted:
                requeued = await NotificationStore(uow.session).requeue(request.params, uow.now)
                return Acted(outcome={"requeued": requeued}, audit_target="notifications",
                             reason=request.params.reason, params=request.params.as_params())

            confirmed = await RESEND.confirm(uow, target="notifications", token=token, actor=actor, act=resend)
        return confirmed.outcome
