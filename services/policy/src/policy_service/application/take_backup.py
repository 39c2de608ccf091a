"""Backups of the whole policy history (seed §15 "정책 변경 이력 백업 매일 03:00 Ops"): on a cron schedule read
in Asia/Seoul, one replica of the policy service writes every version to a signed file in the backup
directory and deletes the scheduled files older than the kept days. `restore.py` reads them back."""

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.unit_of_work import SqlUnitOfWork, UnitsOfWork
from platform_shared.auth.tokens import SigningKey
from platform_shared.errors import NotFoundError
from platform_shared.rounds import run_rounds
from platform_shared.service.status import INSTANCE
from platform_shared.time.clock import KST, Clock
from policy_service.adapters.backup_files import BackupDirectory
from policy_service.adapters.backup_ledger import BackupLedger
from policy_service.adapters.version_store import SqlVersionStore
from policy_service.domain.backups import (
    VersionRecord,
    expired_files,
    is_backup_file,
    next_fire,
    on_demand_file_name,
    scheduled_file_name,
    signed_history,
    slot_at,
)
from policy_service.adapters.models import PolicyBackup

log = logging.getLogger(__name__)

BACKUP = "policy.backup"
SCHEDULER_STEP_SECONDS = 1.0
"""How often the scheduler re-reads the clock: a clock moved by a drill or a test is noticed within it."""


@dataclass(frozen=True)
class BackupSchedule:
    cron: str
    """Five-field cron expression, read as wall-clock time in Asia/Seoul."""
    keep_days: int


class PolicyBackups:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, directory: BackupDirectory,
                 key: SigningKey) -> None:
        self._sessions = sessions
        self._units = UnitsOfWork(sessions, clock)
        self._clock = clock
        self._directory = directory
        self._key = key

    async def take_slot(self, slot: datetime, keep_days: int) -> PolicyBackup | None:
        """The slot's backup, unless a replica took it already (then None). The file is written while the
        slot's lock is held and before the row commits: a failed commit leaves a file that the retry
        replaces, never a row without a file."""
        async with self._units.begin() as uow:
            ledger = BackupLedger(uow.session)
            await ledger.lock()
            if await ledger.taken(slot):
                log.info("policy backup of slot %s: taken by another replica", slot.isoformat())
                return None
            name = scheduled_file_name(slot)
            versions = await self._write(uow, name, slot, actor="system")
            backup = PolicyBackup(slot_at=slot, file_name=name, versions=versions, taken_at=uow.now,
                                  taken_by=INSTANCE)
            ledger.add(backup)
        expired = expired_files(await asyncio.to_thread(self._directory.names), slot.astimezone(KST).date(),
                                keep_days)
        await asyncio.to_thread(self._directory.remove, expired)
        log.info("policy backup %s: %d versions%s", name, versions,
                 f"; deleted {', '.join(expired)}" if expired else "")
        return backup

    async def take_now(self, actor: str) -> tuple[Path, int]:
        """An operator's backup, on demand (`policy-admin backup`, `POST /policy/backups`): the same signed file,
        outside the schedule's names, so the kept-days rule leaves it alone. Its path and how many versions."""
        now = self._clock.now()
        name = on_demand_file_name(now)
        async with self._units.begin() as uow:
            versions = await self._write(uow, name, now, actor=actor)
        return self._directory.path / name, versions

    async def files(self) -> list[tuple[str, int]]:
        """The backup files in the directory (name, bytes), newest name first; other files are not ours."""
        return sorted(((name, size) for name, size in await asyncio.to_thread(self._directory.sizes)
                       if is_backup_file(name)), reverse=True)

    async def content(self, name: str) -> bytes:
        """One of `files()`; any other name (a path, a file that is not there) is not found."""
        if name not in dict(await self.files()):
            raise NotFoundError(f"no backup file {name}", field="file")
        return await asyncio.to_thread((self._directory.path / name).read_bytes)

    async def run_scheduler(self, schedule: BackupSchedule, step_seconds: float = SCHEDULER_STEP_SECONDS) -> None:
        """Cron semantics: every fire time is one slot, taken once across the replicas. The first slot is the
        first fire time after the process starts: a slot that passed while no replica ran is not caught up.
        A failed slot is retried each step (the error logged) until it is done or a later slot has come."""
        pending = next_fire(schedule.cron, self._clock.now())

        async def take_if_due() -> bool:
            nonlocal pending
            now = self._clock.now()
            if now >= pending:
                slot = slot_at(schedule.cron, now)  # `pending`, unless the clock passed a later fire time
                await self.take_slot(slot, schedule.keep_days)
                pending = next_fire(schedule.cron, slot)
            return False

        await run_rounds(take_if_due, lambda: asyncio.sleep(step_seconds), what="policy backup")

    async def _write(self, uow: SqlUnitOfWork[None], name: str, slot: datetime, *, actor: str) -> int:
        versions = [VersionRecord.model_validate(v) for v in await SqlVersionStore(uow.session).all()]
        content = signed_history(versions, slot=slot, created_at=uow.now, key=self._key)
        await asyncio.to_thread(self._directory.write, name, content)
        await uow.audit(actor=actor, action=BACKUP, target=f"policy-backup:{name}",
                        after={"file": name, "versions": len(versions), "slot": slot.isoformat(),
                               "sha256": hashlib.sha256(content).hexdigest()})
        return len(versions)
