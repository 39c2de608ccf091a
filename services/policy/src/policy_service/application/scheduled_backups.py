"""The nightly backup of the policy history (seed §15): on a cron schedule read in Asia/Seoul, one replica of
the policy service writes every version to a signed file and deletes the scheduled files older than the kept
days."""

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from platform_shared.rounds import run_rounds
from platform_shared.service.status import INSTANCE
from platform_shared.time.clock import KST
from policy_service.adapters.backup_ledger import BackupLedger
from policy_service.adapters.models import PolicyBackup
from policy_service.application.policy_backups import PolicyBackups, write_backup
from policy_service.domain.backups import expired_files, next_fire, scheduled_file_name, slot_at

log = logging.getLogger(__name__)

SCHEDULER_STEP_SECONDS = 1.0
"""How often the scheduler re-reads the clock: a clock moved by a drill or a test is noticed within it."""


@dataclass(frozen=True)
class BackupSchedule:
    cron: str
    """Five-field cron expression, read as wall-clock time in Asia/Seoul."""
    keep_days: int


async def take_slot(backups: PolicyBackups, slot: datetime, keep_days: int) -> PolicyBackup | None:
    """The slot's backup, unless a replica took it already (then None). The file is written while the
    slot's lock is held and before the row commits: a failed commit leaves a file that the retry
    replaces, never a row without a file."""
    async with backups.units.begin() as uow:
        ledger = BackupLedger(uow.session)
        await ledger.lock()
        if await ledger.taken(slot):
            log.info("policy backup of slot %s: taken by another replica", slot.isoformat())
            return None
        name = scheduled_file_name(slot)
        versions = await write_backup(backups, uow, name, slot, actor="system")
        backup = PolicyBackup(slot_at=slot, file_name=name, versions=versions, taken_at=uow.now,
                              taken_by=INSTANCE)
        ledger.add(backup)
    directory = backups.directory
    expired = expired_files(await asyncio.to_thread(directory.names), slot.astimezone(KST).date(), keep_days)
    await asyncio.to_thread(directory.remove, expired)
    log.info("policy backup %s: %d versions%s", name, versions, f"; deleted {', '.join(expired)}" if expired else "")
    return backup


async def run_backup_scheduler(backups: PolicyBackups, schedule: BackupSchedule,
                               step_seconds: float = SCHEDULER_STEP_SECONDS) -> None:
    """Cron semantics: every fire time is one slot, taken once across the replicas. The first slot is the
    first fire time after the process starts: a slot that passed while no replica ran is not caught up.
    A failed slot is retried each step (the error logged) until it is done or a later slot has come."""
    clock = backups.clock
    pending = next_fire(schedule.cron, clock.now())

    async def take_if_due() -> bool:
        nonlocal pending
        now = clock.now()
        if now >= pending:
            slot = slot_at(schedule.cron, now)  # `pending`, unless the clock passed a later fire time
            await take_slot(backups, slot, schedule.keep_days)
            pending = next_fire(schedule.cron, slot)
        return False

    await run_rounds(take_if_due, lambda: asyncio.sleep(step_seconds), what="policy backup")
