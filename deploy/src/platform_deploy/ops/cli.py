"""`lottery-ops`: the operator's one command for the runbook (seed §3-§8) across the four services.

Log in once per shell session (password + TOTP; the access token is kept in OPS_SESSION_FILE, by default under
$XDG_RUNTIME_DIR, mode 0600, never the password). Sensitive actions step up with a TOTP code (`--totp`, or
asked). Two-step actions show what will happen and ask; `--yes` answers for scripts. `--json` prints what the
services answered. Exit codes: 0 done, 1 a check failed, 2 usage, 3 refused (nothing changed), 4 service
unreachable or failing, 5 not logged in. Services: OPS_POLICY_URL, OPS_LOTTERY_URL, OPS_WAITLIST_URL,
OPS_NOTIFIER_URL (default: the ports of docker-compose.yml)."""

from typing import Annotated

import typer

from platform_deploy.ops import draws, levers, policy
from platform_deploy.ops.client import Ops, Session, login, session_file
from platform_deploy.ops.output import Context, console, context, emit, fields, set_context
from platform_shared.client.endpoint import as_json

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__, rich_markup_mode=None)
app.add_typer(draws.app, name="draws")
app.add_typer(policy.app, name="policy")
app.add_typer(levers.consumers, name="consumers")
app.add_typer(levers.dead_letters, name="dead-letters")
app.add_typer(levers.notifications, name="notifications")
app.add_typer(levers.waitlist, name="waitlist")
app.add_typer(levers.audit, name="audit")


@app.callback()
def root(as_json: Annotated[bool, typer.Option("--json", help="Print the services' answers as JSON")] = False,
         yes: Annotated[bool, typer.Option("--yes", "-y", help="Confirm two-step actions without asking")] = False,
         totp: Annotated[str | None, typer.Option(help="A TOTP code for the step-up a sensitive action needs")] = None,
         ) -> None:
    set_context(Context(as_json, yes, totp))


@app.command("login")
def log_in(account: Annotated[str, typer.Option(prompt=True)],
           password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
           code: Annotated[str, typer.Option("--code", prompt="TOTP code", help="The authenticator's code")]) -> None:
    """Password and TOTP code at the policy service; the token is kept for this session."""
    session = login(account, password, code)
    emit({"account": session.account, "session_file": str(session_file())},
         lambda d: console.print(f"logged in as {d['account']}"))


@app.command("logout")
def log_out() -> None:
    """End the session here and at the policy service."""
    try:
        Ops(context().totp, interactive=False).policy.logout()
    finally:
        session_file().unlink(missing_ok=True)
    emit({"logged_out": True}, lambda _: console.print("logged out"))


@app.command()
def whoami() -> None:
    emit(as_json(Ops().policy.me()), lambda data: fields(data, title=Session.load().account))
