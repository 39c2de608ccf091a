"""The policy in force, its first version, and what entrant-facing pages show from it. Every new version is
published as a full snapshot through the outbox (change_policy.py and rollback_policy.py make the later ones)."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.contracts.events import PolicyChanged
from platform_shared.contracts.policy import PolicyDocument, policy_defaults
from platform_shared.errors import NotFoundError
from platform_shared.time.clock import Clock, to_kst
from policy_service.adapters.models import PolicyVersion
from policy_service.adapters.version_store import SqlVersionStore


class PolicyService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def publish_defaults_if_empty(self) -> None:
        """First start: version 1 is `policy_defaults()`, published so every service runs on it."""
        async with self._sessions.begin() as session:
            store = SqlVersionStore(session)
            await store.lock()  # two replicas starting at once: one writes version 1
            if await store.latest() is None:
                document = policy_defaults()
                await store.add(PolicyVersion(version=1, document=document.model_dump(mode="json"),
                                              created_by="system", reason="policy defaults",
                                              created_at=self._clock.now()),
                                PolicyChanged(occurred_at=self._clock.now(), version=1, policy=document))

    async def current(self) -> PolicyVersion:
        async with self._sessions() as session:
            latest = await SqlVersionStore(session).latest()
        if latest is None:
            raise NotFoundError("no policy published yet")
        return latest

    async def banners(self, campaign_id: str | None) -> list[str]:
        """General banners, and an AdGate bypass or exception's while in force (seed §5.3)."""
        document = PolicyDocument.model_validate((await self.current()).document)
        return document.banners_for(campaign_id, to_kst(self._clock.now()).date())
