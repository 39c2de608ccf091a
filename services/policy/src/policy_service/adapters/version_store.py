"""Storage of policy versions in PostgreSQL: `SqlVersionStore` keeps the contract of `VersionStore`
(application/ports.py), which the unit tier keeps in memory (tests/memory_policy.py)."""

from collections.abc import Sequence

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.contracts import topics
from platform_shared.contracts.events import PolicyChanged
from platform_shared.messaging import outbox
from policy_service.adapters.models import PolicyVersion


class SqlVersionStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock(self) -> None:
        """Serialise writers of versions (a row lock cannot lock an empty table, nor the next number)."""
        await self._session.execute(text("SELECT pg_advisory_xact_lock(hashtext('policy.versions'))"))

    async def latest(self) -> PolicyVersion | None:
        return await self._session.scalar(select(PolicyVersion).order_by(PolicyVersion.version.desc()).limit(1))

    async def get(self, version: int) -> PolicyVersion | None:
        return await self._session.get(PolicyVersion, version)

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(PolicyVersion)) or 0)

    async def all(self) -> Sequence[PolicyVersion]:
        return (await self._session.scalars(select(PolicyVersion).order_by(PolicyVersion.version))).all()

    async def add(self, version: PolicyVersion, announcement: PolicyChanged) -> None:
        """The version and its full snapshot on `policy_changed`, committed together (outbox)."""
        self._session.add(version)
        await outbox.enqueue(self._session, topics.POLICY_CHANGED, [announcement])

    async def add_history(self, versions: Sequence[PolicyVersion], announcement: PolicyChanged) -> None:
        """A restored history: every version as it was, and only the newest one's snapshot announced."""
        self._session.add_all(versions)
        await outbox.enqueue(self._session, topics.POLICY_CHANGED, [announcement])
