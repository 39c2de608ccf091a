"""Policy use cases. Every new version is published as a full snapshot through the outbox."""

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.contracts import topics
from platform_shared.contracts.events import PolicyChanged
from platform_shared.contracts.policy import PolicyDocument, policy_defaults
from platform_shared.errors import NotFoundError
from platform_shared.messaging import outbox
from platform_shared.time.clock import Clock
from policy_service.models import PolicyVersion


class PolicyService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def publish_defaults_if_empty(self) -> None:
        """First start: version 1 is `policy_defaults()`, published so every service runs on it."""
        async with self._sessions.begin() as session:
            # Serialise concurrent first starts of two replicas: a row lock can't lock an empty table.
            await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('policy.first_version'))"))
            if await self._latest(session) is None:
                await self._add_version(session, 1, policy_defaults(), created_by="system", reason="policy defaults")

    async def current(self) -> PolicyVersion:
        async with self._sessions() as session:
            latest = await self._latest(session)
        if latest is None:
            raise NotFoundError("no policy published yet")
        return latest

    @staticmethod
    async def _latest(session: AsyncSession) -> PolicyVersion | None:
        return await session.scalar(select(PolicyVersion).order_by(PolicyVersion.version.desc()).limit(1))

    async def _add_version(self, session: AsyncSession, version: int, document: PolicyDocument, *, created_by: str,
                     reason: str) -> None:
        session.add(PolicyVersion(version=version, document=document.model_dump(mode="json"),
                                  created_by=created_by, reason=reason))
        event = PolicyChanged(occurred_at=self._clock.now(), version=version, policy=document)
        await outbox.enqueue(session, topics.POLICY_CHANGED, [event])
