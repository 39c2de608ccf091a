"""Ops actions on the notifier (SPEC §5), each audited: pause/resume sending, fix a template, resend a
segment (two steps)."""

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.notification_store import NotificationStore
from notifier_service.adapters.sender_state import SenderStateStore
from notifier_service.adapters.templates import TemplateStore
from notifier_service.domain.pause import refuse_lapsed_pause
from notifier_service.domain.resend import Segment
from notifier_service.models import SenderState, Template
from platform_shared.audit.chain import record_action
from platform_shared.audit.confirmations import claim_confirmation, complete_confirmation, request_confirmation
from platform_shared.time.clock import Clock

RESEND = "notifications.resend"


class NotifierOperations:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

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
        now = self._clock.now()
        refuse_lapsed_pause(until, now)
        async with self._sessions.begin() as session:
            state = await SenderStateStore(session).lock()
            before = {"paused": state.paused, "paused_until": state.paused_until}
            state.paused, state.paused_until, state.reason = paused, until, reason
            state.changed_by, state.changed_at = actor, now
            await record_action(session, at=now, actor=actor, action="sending.pause" if paused else "sending.resume",
                                target="notifier:sender", reason=reason, before=before,
                                after={"paused": paused, "paused_until": until})
        return state

    async def templates(self) -> list[Template]:
        async with self._sessions() as session:
            return list(await TemplateStore(session).all())

    async def update_template(self, name: str, body: str, actor: str, reason: str) -> Template:
        async with self._sessions.begin() as session:
            template = await TemplateStore(session).lock(name)
            before = template.body
            template.body, template.updated_at = body, self._clock.now()
            await record_action(session, at=self._clock.now(), actor=actor, action="template.update",
                                target=f"template:{name}", reason=reason, before={"body": before},
                                after={"body": body})
        return template

    async def prepare_resend(self, segment: Segment, actor: str, reason: str) -> dict[str, Any]:
        async with self._sessions.begin() as session:
            count = await NotificationStore(session).count(segment)
            params = {**segment.as_params(), "reason": reason}
            pending = await request_confirmation(session, action=RESEND, target="notifications", params=params,
                                                 summary={"notifications": count}, actor=actor,
                                                 now=self._clock.now())
        return pending.prepared({"notifications": count, "segment": params})

    async def confirm_resend(self, token: str, actor: str) -> dict[str, Any]:
        async with self._sessions.begin() as session:
            now = self._clock.now()
            pending = await claim_confirmation(session, token, action=RESEND, target="notifications", now=now)
            if pending.confirmed:
                assert pending.outcome is not None, "a confirmed request always records its outcome"
                return pending.outcome
            params = dict(pending.params)
            reason = params.pop("reason")
            outcome = {"requeued": await NotificationStore(session).requeue(Segment.from_params(params), now)}
            complete_confirmation(pending, actor=actor, now=now, outcome=outcome)
            await record_action(session, at=now, actor=actor, action=RESEND, target="notifications", reason=reason,
                                params=params, after=outcome)
        return outcome

