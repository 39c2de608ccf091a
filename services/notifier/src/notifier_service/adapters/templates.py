"""Message templates (SPEC §5): one row per template name, fixed by operators while notifications wait
(runbook §6.3: fix the template, then resend what failed on it). SQL only; rendering is
domain/wording.py's. Each template has a body per locale: Korean, and English alongside."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notifier_service.adapters.models import Template
from platform_shared.errors import NotFoundError


class TemplateStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def all(self) -> Sequence[Template]:
        return (await self._session.scalars(select(Template).order_by(Template.name, Template.locale))).all()

    async def bodies(self) -> dict[tuple[str, str], str]:
        """(name, locale) → body: what a send round renders with, read once per round."""
        return {(template.name, template.locale): template.body for template in await self.all()}

    async def lock(self, name: str, locale: str) -> Template:
        """Under its row lock, so that two fixes at the same moment apply one after the other and each audit
        record's `before` is the body it replaced."""
        template = await self._session.get(Template, (name, locale), with_for_update=True)
        if template is None:
            raise NotFoundError(f"no template {name!r} in {locale!r}", field="name")
        return template
