"""Ops actions on the notifier (SPEC §5), each audited: pause/resume sending, fix a template, resend a
segment (two steps)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.domain.delivery import Status
from notifier_service.models import CancelledRun, Notification, SenderState, Template
from platform_shared.audit.chain import record_action
from platform_shared.audit.confirmations import claim_confirmation, complete_confirmation, request_confirmation
from platform_shared.db.engine import rowcount
from platform_shared.errors import DomainError, NotFoundError
from platform_shared.time.clock import Clock

RESEND = "notifications.resend"
RESENDABLE = (Status.DEAD, Status.CANCELLED)


@dataclass(frozen=True)
class Segment:
    """Which notifications a resend covers. Sent ones never are: their dedupe key was delivered."""

    statuses: tuple[str, ...] = RESENDABLE
    template: str | None = None
    campaign_id: str | None = None
    run_id: str | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None

    def condition(self) -> ColumnElement[bool]:
        parts = [Notification.status.in_(self.statuses), Notification.status != Status.SENT,
                 # never revive a rolled-back draw's offers
                 ~exists().where(CancelledRun.run_id == Notification.run_id)]
        if self.template:
            parts.append(Notification.template == self.template)
        if self.campaign_id:
            parts.append(Notification.campaign_id == self.campaign_id)
        if self.run_id:
            parts.append(Notification.run_id == self.run_id)
        if self.received_from:
            parts.append(Notification.received_at >= self.received_from)
        if self.received_to:
            parts.append(Notification.received_at < self.received_to)
        return and_(*parts)


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
            state = await session.get(SenderState, 1)
        assert state is not None, "seeded by the first migration"
        return state

    async def _set_pause(self, paused: bool, actor: str, reason: str, until: datetime | None) -> SenderState:
        now = self._clock.now()
        if until is not None and until <= now:
            raise DomainError("paused_until must be in the future", field="paused_until")
        async with self._sessions.begin() as session:
            state = await session.get(SenderState, 1, with_for_update=True)
            assert state is not None
            before = {"paused": state.paused, "paused_until": state.paused_until}
            state.paused, state.paused_until, state.reason = paused, until, reason
            state.changed_by, state.changed_at = actor, now
            await record_action(session, at=now, actor=actor, action="sending.pause" if paused else "sending.resume",
                                target="notifier:sender", reason=reason, before=before,
                                after={"paused": paused, "paused_until": until})
        return state

    async def templates(self) -> list[Template]:
        async with self._sessions() as session:
            return list((await session.scalars(select(Template).order_by(Template.name))).all())

    async def update_template(self, name: str, body: str, actor: str, reason: str) -> Template:
        async with self._sessions.begin() as session:
            template = await session.get(Template, name, with_for_update=True)
            if template is None:
                raise NotFoundError(f"no template {name!r}", field="name")
            before = template.body
            template.body, template.updated_at = body, self._clock.now()
            await record_action(session, at=self._clock.now(), actor=actor, action="template.update",
                                target=f"template:{name}", reason=reason, before={"body": before},
                                after={"body": body})
        return template

    async def prepare_resend(self, segment: Segment, actor: str, reason: str) -> dict[str, Any]:
        async with self._sessions.begin() as session:
            count = await session.scalar(select(func.count()).select_from(Notification).where(segment.condition()))
            params = {**_segment_params(segment), "reason": reason}
            pending = await request_confirmation(session, action=RESEND, target="notifications", params=params,
                                                 summary={"notifications": count or 0}, actor=actor,
                                                 now=self._clock.now())
        return pending.prepared({"notifications": count or 0, "segment": params})

    async def confirm_resend(self, token: str, actor: str) -> dict[str, Any]:
        async with self._sessions.begin() as session:
            now = self._clock.now()
            pending = await claim_confirmation(session, token, action=RESEND, target="notifications", now=now)
            if pending.confirmed:
                return pending.outcome or {}
            params = dict(pending.params)
            reason = params.pop("reason")
            fields: dict[str, Any] = {k: (tuple(v) if k == "statuses" else _parse(k, v)) for k, v in params.items()}
            segment = Segment(**fields)
            result = await session.execute(update(Notification).where(segment.condition()).values(
                status=Status.QUEUED, attempts=0, next_attempt_at=now, last_error=None, claimed_by=None,
                claimed_until=None))
            outcome = {"requeued": rowcount(result)}
            complete_confirmation(pending, actor=actor, now=now, outcome=outcome)
            await record_action(session, at=now, actor=actor, action=RESEND, target="notifications", reason=reason,
                                params=params, after=outcome)
        return outcome


def _segment_params(segment: Segment) -> dict[str, Any]:
    return {"statuses": list(segment.statuses), "template": segment.template, "campaign_id": segment.campaign_id,
            "run_id": segment.run_id,
            "received_from": segment.received_from.isoformat() if segment.received_from else None,
            "received_to": segment.received_to.isoformat() if segment.received_to else None}


def _parse(key: str, value: Any) -> Any:
    if key in ("received_from", "received_to") and value is not None:
        return datetime.fromisoformat(value)
    return value
