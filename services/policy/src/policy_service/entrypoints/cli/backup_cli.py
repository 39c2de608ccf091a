"""`policy-admin restore FILE` and `policy-admin backup --to DIR` (seed §15).

Restore puts a backup's policy history into an empty policy database (POLICY_DATABASE_URL), before the
policy service first starts on it. The file must be one this installation signed (a key in
ADMIN_TOKEN_JWKS) and intact; a corrupt or foreign file is refused with a one-line reason, and nothing is
written, not even the schema. Backup writes the same signed file as the nightly schedule, on demand,
signed with POLICY_TOKEN_SIGNING_KEY / POLICY_TOKEN_KEY_ID."""

import argparse
import asyncio
import sys
from pathlib import Path

from platform_shared.auth.tokens import SigningKey
from platform_shared.errors import DomainError
from platform_shared.time.clock import process_clock
from policy_service.adapters.backup_files import BackupDirectory
from policy_service.application.policy_backups import PolicyBackups
from policy_service.application.restore_backup import restore_history
from policy_service.application.take_backup import TakeBackup, take_backup
from policy_service.domain.backups import trusted_keys, verify_history
from policy_service.entrypoints.cli.cli_settings import CliSettings, migrated_database


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    restore = commands.add_parser("restore", help="restore the policy history from a backup file into an "
                                                  "empty policy database")
    restore.add_argument("file", type=Path)
    restore.add_argument("--by", default="policy-admin", help="who runs this command (for the audit log)")
    backup = commands.add_parser("backup", help="write a signed backup of the policy history now")
    backup.add_argument("--to", required=True, type=Path, help="the directory to write it to")
    backup.add_argument("--by", default="policy-admin", help="who runs this command (for the audit log)")


def run(args: argparse.Namespace, settings: CliSettings) -> None:
    try:
        if args.command == "restore":
            print(asyncio.run(_restore(settings, args.file, args.by)))
        else:
            print(asyncio.run(_backup(settings, args.to, args.by)))
    except DomainError as error:
        sys.exit(f"refused: {error.message}")


async def _restore(settings: CliSettings, file: Path, actor: str) -> str:
    keys = trusted_keys(settings.admin_token_jwks)
    if not keys:
        raise DomainError("ADMIN_TOKEN_JWKS holds no usable Ed25519 key, so no backup can be verified")
    try:
        content = await asyncio.to_thread(file.read_bytes)
    except OSError as error:
        raise DomainError(f"cannot read {file}: {error.strerror}") from error
    history = verify_history(content, keys)
    async with migrated_database(settings) as sessions:
        clock = process_clock(settings.clock_offset_seconds)
        newest = await restore_history(sessions, clock, history, source=file.name, actor=actor)
    return (f"restored policy versions 1..{newest} from {file.name} (backup of {history.slot.isoformat()}); "
            f"version {newest} is published when the policy service starts")


async def _backup(settings: CliSettings, directory: Path, actor: str) -> str:
    if settings.token_signing_key is None or not settings.token_key_id:
        raise DomainError("POLICY_TOKEN_SIGNING_KEY and POLICY_TOKEN_KEY_ID are needed to sign a backup")
    key = SigningKey(settings.token_key_id, settings.token_signing_key.get_secret_value())
    async with migrated_database(settings) as sessions:
        backups = PolicyBackups(sessions, process_clock(settings.clock_offset_seconds), BackupDirectory(directory),
                                key)
        return str((await take_backup(backups, TakeBackup(actor))).path)
