"""Backups of the whole policy history (seed §15 "정책 변경 이력 백업 매일 03:00 Ops"): where they are written,
what signs them, and the one way a backup file is written (scheduled_backups.py on the schedule,
take_backup.py on demand; restore_backup.py reads them back)."""

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.unit_of_work import SqlUnitOfWork, UnitsOfWork
from platform_shared.auth.tokens import SigningKey
from platform_shared.time.clock import Clock
from policy_service.adapters.backup_files import BackupDirectory
from policy_service.adapters.version_store import SqlVersionStore
from policy_service.domain.backups import VersionRecord, signed_history

BACKUP = "policy.backup"


@dataclass(frozen=True)
class PolicyBackups:
    """The policy database, the backup directory and the key backups are signed with."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    directory: BackupDirectory
    key: SigningKey

    @property
    def units(self) -> UnitsOfWork[None]:
        return UnitsOfWork(self.sessions, self.clock)


async def write_backup(backups: PolicyBackups, uow: SqlUnitOfWork[None], name: str, slot: datetime, *,
                       actor: str) -> int:
    """Every version, signed, to the file `name`, audited as `policy.backup`; how many versions it holds."""
    versions = [VersionRecord.model_validate(v) for v in await SqlVersionStore(uow.session).all()]
    content = signed_history(versions, slot=slot, created_at=uow.now, key=backups.key)
    await asyncio.to_thread(backups.directory.write, name, content)
    await uow.audit(actor=actor, action=BACKUP, target=f"policy-backup:{name}",
                    after={"file": name, "versions": len(versions), "slot": slot.isoformat(),
                           "sha256": hashlib.sha256(content).hexdigest()})
    return len(versions)
