"""Incidents, their timelines, stored banners and `#ops-incident` posts in PostgreSQL (seed §1, §13)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from policy_service.adapters.incident_models import Incident, IncidentPost, StoredBanner, TimelineEntry
from policy_service.adapters.version_store import SqlVersionStore


class SqlIncidentStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, row: Incident | TimelineEntry | StoredBanner | IncidentPost) -> None:
        """Stored with its id (flushed), in the unit's transaction."""
        self._session.add(row)
        await self._session.flush()

    async def incident(self, incident_id: int, *, lock: bool = False) -> Incident | None:
        """`lock`: held until the unit ends, so two steps on one incident follow one another."""
        return await self._session.get(Incident, incident_id, with_for_update=lock or None)

    async def page(self, status: str | None, offset: int, limit: int) -> tuple[int, Sequence[Incident]]:
        """Newest first."""
        where = [] if status is None else [Incident.status == status]
        total = await self._session.scalar(select(func.count()).select_from(Incident).where(*where))
        rows = await self._session.scalars(select(Incident).where(*where).order_by(Incident.id.desc())
                                           .offset(offset).limit(limit))
        return int(total or 0), rows.all()

    async def timeline(self, incident_id: int) -> Sequence[TimelineEntry]:
        return (await self._session.scalars(select(TimelineEntry).where(TimelineEntry.incident_id == incident_id)
                                            .order_by(TimelineEntry.id))).all()

    async def banners_of(self, incident_id: int) -> Sequence[StoredBanner]:
        return (await self._session.scalars(select(StoredBanner).where(StoredBanner.incident_id == incident_id)
                                            .order_by(StoredBanner.id))).all()

    async def posts_of(self, incident_id: int) -> Sequence[IncidentPost]:
        return (await self._session.scalars(select(IncidentPost).where(IncidentPost.incident_id == incident_id)
                                            .order_by(IncidentPost.id))).all()

    async def banner(self, banner_id: int, *, lock: bool = False) -> StoredBanner | None:
        return await self._session.get(StoredBanner, banner_id, with_for_update=lock or None)

    async def live_banners(self, now: datetime, campaign_id: str | None) -> Sequence[StoredBanner]:
        """Not withdrawn, started, not past their end; every campaign's, or one campaign's and the global ones."""
        query = select(StoredBanner).where(StoredBanner.ended_at.is_(None), StoredBanner.starts_at <= now,
                                           or_(StoredBanner.ends_at.is_(None), StoredBanner.ends_at > now))
        if campaign_id is not None:
            query = query.where(or_(StoredBanner.campaign_id.is_(None), StoredBanner.campaign_id == campaign_id))
        return (await self._session.scalars(query.order_by(StoredBanner.starts_at, StoredBanner.id))).all()

    async def all_banners(self, offset: int, limit: int) -> tuple[int, Sequence[StoredBanner]]:
        """Every stored banner, scheduled and ended ones too, newest first."""
        total = await self._session.scalar(select(func.count()).select_from(StoredBanner))
        rows = await self._session.scalars(select(StoredBanner).order_by(StoredBanner.id.desc())
                                           .offset(offset).limit(limit))
        return int(total or 0), rows.all()

    async def end_banners_of(self, incident_id: int, now: datetime, actor: str) -> list[int]:
        """Every banner of the incident still standing ends now; their ids."""
        ended = await self._session.scalars(
            update(StoredBanner).where(StoredBanner.incident_id == incident_id, StoredBanner.ended_at.is_(None))
            .values(ended_at=now, ended_by=actor).returning(StoredBanner.id))
        return sorted(ended.all())

    async def claim_due_posts(self, now: datetime, limit: int) -> Sequence[IncidentPost]:
        """Pending posts whose time has come, oldest first, locked for this replica alone (SKIP LOCKED: another
        replica's round takes the next ones, never these)."""
        return (await self._session.scalars(
            select(IncidentPost).where(IncidentPost.status == "pending", IncidentPost.next_attempt_at <= now)
            .order_by(IncidentPost.id).limit(limit).with_for_update(skip_locked=True))).all()

    async def pending_posts(self) -> int:
        return int(await self._session.scalar(
            select(func.count()).select_from(IncidentPost).where(IncidentPost.status == "pending")) or 0)


@dataclass(frozen=True)
class IncidentStores:
    """What an incident's steps write: the incident's own rows, and (for a first response) policy versions."""

    incidents: SqlIncidentStore
    versions: SqlVersionStore

    @classmethod
    def on(cls, session: AsyncSession) -> "IncidentStores":
        return cls(SqlIncidentStore(session), SqlVersionStore(session))
