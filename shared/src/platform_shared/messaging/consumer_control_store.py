"""Where ops' desired consumer state and each replica's report live: the service's own database,
so a pause survives restarts and every replica of the service reads the same one. SQL only."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.messaging.consumer_pause import DesiredState
from platform_shared.messaging.tables import ConsumerControl, ConsumerReplica


class ConsumerControlStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def desired(self) -> dict[str, DesiredState]:
        rows = (await self._session.scalars(select(ConsumerControl))).all()
        return {row.group_id: DesiredState(row.paused, row.until, row.reason, row.actor, row.changed_at)
                for row in rows}

    async def set_desired(self, groups: Sequence[str], state: DesiredState) -> None:
        values = {"paused": state.paused, "until": state.until, "reason": state.reason, "actor": state.actor,
                  "changed_at": state.changed_at}
        for group in groups:
            statement = insert(ConsumerControl).values(group_id=group, **values)
            await self._session.execute(statement.on_conflict_do_update(index_elements=[ConsumerControl.group_id],
                                                                        set_=values))

    async def report(self, replica: str, group_id: str, *, assigned: list[str], paused: list[str], lag: int | None,
                     at: datetime) -> None:
        values = {"assigned": assigned, "paused_partitions": paused, "lag": lag, "reported_at": at}
        statement = insert(ConsumerReplica).values(replica=replica, group_id=group_id, **values)
        await self._session.execute(statement.on_conflict_do_update(
            index_elements=[ConsumerReplica.replica, ConsumerReplica.group_id], set_=values))

    async def replicas(self, reported_since: datetime) -> list[ConsumerReplica]:
        """Every replica that reported since then (one that stopped or died falls out of the list)."""
        return list((await self._session.scalars(
            select(ConsumerReplica).where(ConsumerReplica.reported_at >= reported_since)
            .order_by(ConsumerReplica.group_id, ConsumerReplica.replica))).all())

    async def forget(self, replica: str) -> None:
        await self._session.execute(delete(ConsumerReplica).where(ConsumerReplica.replica == replica))
