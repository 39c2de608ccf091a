"""Ops actions on the notifier (SPEC §5), each audited: pause/resume sending, fix a template, resend a
segment (two steps)."""

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.notification_store import NotificationStore
from notifier_service.adapters.sender_state import SenderStateStore
from notifier_service.adapters.templates import TemplateStore
from notifier_service.domain.pause import refuse_lapsed_pause
from notifier_service.domain.resend import Resend, Segment
from notifier_service.models import SenderState, Template
from platform_shared.application.two_step import Acted, Requested, TwoStep
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.time.clock import Clock

RESEND = TwoStep("notifications.resend", Resend)


class NotifierOperations:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._units = UnitsOfWork(sessions, clock)

    async def pause(self, actor: str, reason: str, until: datetime | None) -> SenderState:
        return await self._set_pause(True, actor, reason, until)

    async def resume(self, actor: str, reason: str) -> SenderState:
        return await self._set_pause(False, actor, reason, None)

    async def sender_state(self) -> SenderState:
        async with self._sessions() as session:
            state = await SenderStateStore(session).current()
        assert state is not None, "seeded by the first migration"
        return state

    async def _set_pause(self, paused: bool, actor: str, reason: str, until: datetime | None) -> SenderState:
        async with self._units.begin() as uow:
            refuse_lapsed_pause(until, uow.now)
            state = await SenderStateStore(uow.session).lock()
            before = {"paused": state.paused, "paused_until": state.paused_until}
            state.paused, state.paused_until, state.reason = paused, until, reason
            state.changed_by, state.changed_at = actor, uow.now
            await uow.audit(actor=actor, action="sending.pause" if paused else "sending.resume",
                            target="notifier:sender", reason=reason, before=before,
                            after={"paused": paused, "paused_until": until})
        return state

    async def templates(self) -> list[Template]:
        async with self._sessions() as session:
            return list(await TemplateStore(session).all())

    async def update_template(self, name: str, body: str, actor: str, reason: str) -> Template:
        async with self._units.begin() as uow:
            template = await TemplateStore(uow.session).lock(name)
            before = template.body
            template.body, template.updated_at = body, uow.now
            await uow.audit(actor=actor, action="template.update",
                            target=f"template:{name}", reason=reason, before={"body": before}, after={"body": body})
        return template

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

