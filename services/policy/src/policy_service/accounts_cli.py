"""`policy-admin create --name NAME --role ROLE`: the only way an admin account comes to exist (SPEC §7:
whitelisted people only, no default account in any configuration). Run where the policy database is
reachable (POLICY_DATABASE_URL). It prints, once, what the person needs: a QR code and provisioning URI
for their authenticator app, and ten backup codes. `--json` prints the same for automation (the demo and
the tests create their operators this way); `--password-stdin` reads the password from standard input."""

import argparse
import asyncio
import getpass
import json
import sys
from dataclasses import asdict
from pathlib import Path

import segno
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from platform_shared.db.engine import create_engine, session_factory
from platform_shared.db.migrations import grant_runtime_access, upgrade_to_head
from platform_shared.errors import DomainError
from platform_shared.time.clock import process_clock
from policy_service.accounts import AccountService, Enrolment

MIGRATIONS = Path(__file__).parent / "migrations"


class CliSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", hide_input_in_errors=True)

    database_url: SecretStr = Field(validation_alias="POLICY_DATABASE_URL")
    migration_database_url: SecretStr | None = Field(default=None, validation_alias="POLICY_MIGRATION_DATABASE_URL")
    clock_offset_seconds: float = Field(default=0.0, validation_alias="POLICY_CLOCK_OFFSET_SECONDS")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="policy-admin", description="Admin accounts of the lottery platform.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create an account and print its enrolment once")
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, help="admin, pm, data or partner_ops")
    create.add_argument("--created-by", default="policy-admin", help="who runs this command (for the audit log)")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.add_argument("--json", action="store_true", help="print the enrolment as JSON")
    args = parser.parse_args(argv)
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else _ask_password()
    try:
        enrolment = asyncio.run(_create(CliSettings(), args.name, args.role, password, args.created_by))
    except DomainError as error:
        sys.exit(f"refused ({error.field or 'request'}): {error.message}")
    if args.json:
        print(json.dumps(asdict(enrolment)))
    else:
        _print_enrolment(enrolment)


async def _create(settings: CliSettings, name: str, role: str, password: str, created_by: str) -> Enrolment:
    url = settings.database_url.get_secret_value()
    owner = settings.migration_database_url.get_secret_value() if settings.migration_database_url else url
    await asyncio.to_thread(upgrade_to_head, MIGRATIONS, owner)
    await asyncio.to_thread(grant_runtime_access, owner, url)
    engine = create_engine(url)
    try:
        accounts = AccountService(session_factory(engine), process_clock(settings.clock_offset_seconds))
        return await accounts.create(name, role, password, created_by)
    finally:
        await engine.dispose()


def _ask_password() -> str:
    password = getpass.getpass("Password (12 characters or more): ")
    if getpass.getpass("Again: ") != password:
        sys.exit("the two passwords differ; nothing was created")
    return password


def _print_enrolment(enrolment: Enrolment) -> None:
    print(f"Account {enrolment.name!r} (role {enrolment.role}) created.\n")
    print("Scan this with an authenticator app (it is shown only now):")
    segno.make(enrolment.provisioning_uri).terminal(compact=True)
    print(f"\nor enter this URI: {enrolment.provisioning_uri}\n")
    print("Backup codes, each good once (keep them offline; shown only now):")
    for code in enrolment.backup_codes:
        print(f"  {code}")


if __name__ == "__main__":
    main()
