"""Every banner in force, from every source, in the one `Banner` shape (seed §1 "공지 배너", §5, §9, §13): the
public endpoint merges a tuple of `BannerSource`s built in bootstrap.py — the stored banners and the policy
document's own here; another source (a Kakao outage's, seed §9.2/§9.3) joins by being added there."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.contracts.banners import Banner
from platform_shared.time.clock import Clock
from policy_service.adapters.incident_store import SqlIncidentStore
from policy_service.adapters.version_store import SqlVersionStore
from policy_service.application.policy_versions import document_of
from policy_service.domain.banners import document_banners


class BannerSource(Protocol):
    async def banners_in_force(self, now: datetime, campaign_id: str | None) -> list[Banner]: ...


class StoredBannerSource:
    """Banners set by hand or with an incident (`POST /banners`, a SEV1 first response)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def banners_in_force(self, now: datetime, campaign_id: str | None) -> list[Banner]:
        async with self._sessions() as session:
            rows = await SqlIncidentStore(session).live_banners(now, campaign_id)
        return [Banner(kind=row.kind, text=row.text, text_en=row.text_en, campaign_id=row.campaign_id,  # type: ignore[arg-type]
                       starts_at=row.starts_at, ends_at=row.ends_at, set_by=row.set_by, reason=row.reason,
                       source=f"incident:{row.incident_id}" if row.incident_id else f"banner:{row.id}")
                for row in rows]


class PolicyBannerSource:
    """The policy version in force: its general banners, the global bypass's, an AdGate exception's (seed §5)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def banners_in_force(self, now: datetime, campaign_id: str | None) -> list[Banner]:
        async with self._sessions() as session:
            version = await SqlVersionStore(session).latest()
        if version is None:
            return []
        return document_banners(document_of(version), version=version.version, set_by=version.created_by,
                                reason=version.reason[:500] or "policy", since=version.created_at,
                                campaign_id=campaign_id, now=now)


class BannerBoard:
    def __init__(self, sources: Sequence[BannerSource], clock: Clock) -> None:
        self._sources = tuple(sources)
        self._clock = clock

    async def in_force(self, campaign_id: str | None) -> list[Banner]:
        """At the service clock's now, every source's, in the sources' order."""
        now = self._clock.now()
        shown: list[Banner] = []
        for source in self._sources:
            shown += await source.banners_in_force(now, campaign_id)
        return shown
