"""`policy-admin create --name NAME --role ROLE`: the only way an admin account comes to exist (SPEC §7:
whitelisted people only, no default account in any configuration). Run where the policy database is
reachable (POLICY_DATABASE_URL). It prints, once, what the person needs: a QR code and provisioning URI
for their authenticator app, and ten backup codes. `--json` prints the same for automation (the demo and
the tests create their operators this way); `--password-stdin` reads the password from standard input.
`policy-admin backup` and `restore` (the policy history, seed §15) are in backup_cli.py."""

import argparse
import asyncio
import getpass
import json
import sys
from dataclasses import asdict

import segno

from platform_shared.errors import DomainError
from platform_shared.time.clock import process_clock
from policy_service.application.accounts import AccountService
from policy_service.application.create_account import Enrolment
from policy_service.entrypoints.cli import backup_cli
from policy_service.entrypoints.cli.cli_settings import CliSettings, migrated_database


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="policy-admin",
                                     description="Admin accounts and policy history backups of the lottery platform.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create an account and print its enrolment once")
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, help="admin, pm, data or partner_ops")
    create.add_argument("--created-by", default="policy-admin", help="who runs this command (for the audit log)")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.add_argument("--json", action="store_true", help="print the enrolment as JSON")
    backup_cli.add_commands(commands)
    args = parser.parse_args(argv)
    if args.command != "create":
        backup_cli.run(args, CliSettings())
        return
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
    async with migrated_database(settings) as sessions:
        accounts = AccountService(sessions, process_clock(settings.clock_offset_seconds))
        return await accounts.create(name, role, password, created_by)


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
