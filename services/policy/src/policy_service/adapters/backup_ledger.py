"""Which slots of the backup schedule were taken (SQL here). Takers serialise on an advisory lock: a row
lock cannot lock a slot that has no row yet."""

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from policy_service.adapters.models import PolicyBackup


class BackupLedger:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock(self) -> None:
        """Held until the transaction ends: a replica that waited here then sees the slot as taken."""
        await self._session.execute(text("SELECT pg_advisory_xact_lock(hashtext('policy.backup'))"))

    async def taken(self, slot: datetime) -> bool:
        return await self._session.get(PolicyBackup, slot) is not None

    def add(self, backup: PolicyBackup) -> None:
        self._session.add(backup)
