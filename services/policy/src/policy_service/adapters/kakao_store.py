"""Kakao login windows and outages in PostgreSQL (seed §9.3)."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.contracts.kakao_health import KakaoLoginWindow
from policy_service.adapters.models import KakaoLoginWindowRow, KakaoOutageRow
from policy_service.domain.kakao_outages import Outage, ReplicaWindow


class SqlKakaoStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def keep_window(self, window: KakaoLoginWindow) -> bool:
        """Store the report unless a report of the same or a later revision of its window is stored: True if
        it was news (a redelivery, or a revision overtaken, adds nothing)."""
        values = {"service": window.service, "instance": window.instance, "window_start": window.window_start,
                  "window_end": window.window_end, "revision": window.revision, "failures": window.failures,
                  "issuer_down": window.issuer_down, "issuer_up": window.issuer_up,
                  "recovered_at": window.recovered_at, "reported_at": window.occurred_at}
        statement = insert(KakaoLoginWindowRow).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=["service", "instance", "window_start"],
            set_={name: statement.excluded[name] for name in values if name not in ("service", "instance",
                                                                                    "window_start")},
            where=KakaoLoginWindowRow.revision < statement.excluded.revision)
        stored = await self._session.scalar(statement.returning(KakaoLoginWindowRow.revision))
        return stored is not None

    async def lock_outages(self) -> None:
        """One writer of outages at a time: the policy replicas share the topic's partitions."""
        await self._session.execute(text("SELECT pg_advisory_xact_lock(hashtext('policy.kakao_outages'))"))

    async def latest_outage(self) -> KakaoOutageRow | None:
        return await self._session.scalar(select(KakaoOutageRow).order_by(KakaoOutageRow.id.desc()).limit(1))

    async def save_outage(self, row: KakaoOutageRow | None, outage: Outage) -> None:
        if row is None:
            row = KakaoOutageRow()
            self._session.add(row)
        row.started_at, row.ended_at, row.down_replicas = outage.started_at, outage.ended_at, sorted(outage.down)

    async def outages(self, limit: int) -> Sequence[KakaoOutageRow]:
        return (await self._session.scalars(select(KakaoOutageRow).order_by(KakaoOutageRow.id.desc())
                                            .limit(limit))).all()

    async def outage(self, outage_id: int) -> KakaoOutageRow | None:
        return await self._session.get(KakaoOutageRow, outage_id)

    async def windows(self, start: datetime, until: datetime) -> list[ReplicaWindow]:
        """Every replica's windows that start in [start, until), oldest first."""
        rows = await self._session.scalars(
            select(KakaoLoginWindowRow).where(KakaoLoginWindowRow.window_start >= start,
                                              KakaoLoginWindowRow.window_start < until)
            .order_by(KakaoLoginWindowRow.window_start, KakaoLoginWindowRow.service, KakaoLoginWindowRow.instance))
        return [replica_window(row) for row in rows]


def replica_window(row: KakaoLoginWindowRow) -> ReplicaWindow:
    return ReplicaWindow(f"{row.service}/{row.instance}", row.window_start, row.window_end, row.failures,
                         row.issuer_down, row.issuer_up, row.recovered_at, row.reported_at)


def outage_of(row: KakaoOutageRow) -> Outage:
    return Outage(row.started_at, row.ended_at, frozenset(row.down_replicas))
