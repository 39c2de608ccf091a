"""The backup files ops can list and download (seed §15): the signed files in the backup directory."""

import asyncio

from platform_shared.errors import NotFoundError
from policy_service.application.policy_backups import PolicyBackups
from policy_service.domain.backups import is_backup_file


async def backup_files(backups: PolicyBackups) -> list[tuple[str, int]]:
    """The backup files in the directory (name, bytes), newest name first; other files are not ours."""
    return sorted(((name, size) for name, size in await asyncio.to_thread(backups.directory.sizes)
                   if is_backup_file(name)), reverse=True)


async def backup_content(backups: PolicyBackups, name: str) -> bytes:
    """One of `backup_files()`; any other name (a path, a file that is not there) is not found."""
    if name not in dict(await backup_files(backups)):
        raise NotFoundError(f"no backup file {name}", field="file")
    return await asyncio.to_thread((backups.directory.path / name).read_bytes)
