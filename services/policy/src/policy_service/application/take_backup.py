"""An operator's backup of the policy history, on demand (seed §15; `policy-admin backup`,
`POST /policy/backups`): the same signed file as the schedule's, outside the schedule's names, so the
kept-days rule leaves it alone."""

from dataclasses import dataclass
from pathlib import Path

from policy_service.application.policy_backups import PolicyBackups, write_backup
from policy_service.domain.backups import on_demand_file_name


@dataclass(frozen=True)
class TakeBackup:
    actor: str


@dataclass(frozen=True)
class BackupTaken:
    path: Path
    versions: int


async def take_backup(backups: PolicyBackups, command: TakeBackup) -> BackupTaken:
    now = backups.clock.now()
    name = on_demand_file_name(now)
    async with backups.units.begin() as uow:
        versions = await write_backup(backups, uow, name, now, actor=command.actor)
    return BackupTaken(backups.directory.path / name, versions)
