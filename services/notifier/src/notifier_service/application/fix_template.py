"""Fix a message template (runbook §6.3: check the templates; then resend what failed on it, §6.4), audited."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.models import Template
from notifier_service.adapters.templates import TemplateStore
from notifier_service.domain.notice_rules import check_notice_template
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.time.clock import Clock


@dataclass(frozen=True)
class FixTemplateBody:
    name: str
    body: str
    actor: str
    reason: str
    locale: str = "ko"


class FixTemplate:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._units = UnitsOfWork(sessions, clock)

    async def templates(self) -> Sequence[Template]:
        async with self._sessions() as session:
            return await TemplateStore(session).all()

    async def update_template(self, name: str, body: str, actor: str, reason: str, locale: str = "ko") -> Template:
        return await self.handle(FixTemplateBody(name, body, actor, reason, locale))

    async def handle(self, command: FixTemplateBody) -> Template:
        check_notice_template(command.name, command.locale, command.body)  # runbook §14: a notice keeps its parts
        async with self._units.begin() as uow:
            template = await TemplateStore(uow.session).lock(command.name, command.locale)
            before = template.body
            template.body, template.updated_at = command.body, uow.now
            await uow.audit(actor=command.actor, action="template.update", target=f"template:{command.name}",
                            reason=command.reason, before={"locale": command.locale, "body": before},
                            after={"locale": command.locale, "body": command.body})
        return template
