"""Pause and resume sending (runbook §6.3: "pause the queue, then check settings and templates"), audited.
Intake goes on while paused and nothing is lost; the switch survives restarts, is shared by every replica and
may end by itself at a time given in advance (domain/pause.py)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.models import SenderState
from notifier_service.adapters.sender_state import SenderStateStore
from notifier_service.domain.pause import refuse_lapsed_pause
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.time.clock import Clock


@dataclass(frozen=True)
class SetPause:
    """Pause (until a time, or until resumed) or resume, with the operator's reason."""

    paused: bool
    actor: str
    reason: str
    until: datetime | None = None


class PauseSending:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._units = UnitsOfWork(sessions, clock)

    async def pause(self, actor: str, reason: str, until: datetime | None) -> SenderState:
        return await self.handle(SetPause(True, actor, reason, until))

    async def resume(self, actor: str, reason: str) -> SenderState:
        return await self.handle(SetPause(False, actor, reason))

    async def sender_state(self) -> SenderState:
        async with self._sessions() as session:
            state = await SenderStateStore(session).current()
        assert state is not None, "seeded by the first migration"
        return state

    async def handle(self, command: SetPause) -> SenderState:
        async with self._units.begin() as uow:
            refuse_lapsed_pause(command.until, uow.now)
            state = await SenderStateStore(uow.session).lock()
            before = {"paused": state.paused, "paused_until": state.paused_until}
            state.paused, state.paused_until, state.reason = command.paused, command.until, command.reason
            state.changed_by, state.changed_at = command.actor, uow.now
            await uow.audit(actor=command.actor, action="sending.pause" if command.paused else "sending.resume",
                            target="notifier:sender", reason=command.reason, before=before,
                            after={"paused": command.paused, "paused_until": command.until})
        return state
