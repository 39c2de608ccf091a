"""`lottery-ops`: the operator's one command for the runbook (seed §3-§8) across the four services.

Log in once per shell session (password + TOTP; the access token is kept in OPS_SESSION_FILE, by default under
$XDG_RUNTIME_DIR, mode 0600, never the password). Sensitive actions step up with a TOTP code (the command's
`--totp`, or asked at a terminal). Two-step actions show what will happen and ask at a terminal; `--yes`
answers for scripts. `--json` prints what the services answered. Exit codes: 0 done, 1 a check failed, 2
usage (or a question with no terminal to ask on), 3 refused (nothing changed), 4 service unreachable or
failing, 5 not logged in. Services: the profile file `make demo ARGS=--keep-running` writes
($XDG_CONFIG_HOME/lottery-ops/profile.toml, or OPS_PROFILE), each overridden by OPS_POLICY_URL,
OPS_LOTTERY_URL, OPS_WAITLIST_URL, OPS_NOTIFIER_URL (default: the ports of docker-compose.yml)."""

from typing import Annotated

import typer

from platform_deploy.ops import auth, draws, levers, notices, policy
from platform_deploy.ops.client import Ops, Session, login, session_file
from platform_deploy.ops.options import TOTP_HELP
from platform_deploy.ops.output import Context, NoTerminal, at_terminal, console, context, emit, fields, set_context
from platform_shared.client.endpoint import as_json

# The words people read here, in one place (to be localised).
WORDS = {
    "logged_in": "logged in as {account}",
    "logged_out": "logged out",
    "missing": "no terminal to ask on: give {option}",
    "account": "Account",
    "password": "Password",
    "code": "TOTP code",
}
assert notices.WORDS  # its commands join `notifications` on import

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__, rich_markup_mode=None)
app.add_typer(draws.app, name="draws")
app.add_typer(policy.app, name="policy")
app.add_typer(levers.consumers, name="consumers")
app.add_typer(levers.dead_letters, name="dead-letters")
app.add_typer(levers.notifications, name="notifications")
app.add_typer(levers.waitlist, name="waitlist")
app.add_typer(levers.audit, name="audit")
app.add_typer(auth.app, name="auth")


@app.callback()
def root(as_json: Annotated[bool, typer.Option("--json", help="Print the services' answers as JSON")] = False,
         yes: Annotated[bool, typer.Option("--yes", "-y", help="Confirm two-step actions without asking")] = False,
         totp: Annotated[str | None, typer.Option(help=TOTP_HELP + " (also after the command)")] = None,
         ) -> None:
    set_context(Context(as_json, yes, totp))


@app.command("login")
def log_in(account: Annotated[str | None, typer.Option(help="Asked at a terminal if left out")] = None,
           password: Annotated[str | None, typer.Option(help="Asked (hidden) at a terminal if left out",
                                                        envvar="OPS_PASSWORD")] = None,
           code: Annotated[str | None, typer.Option("--code", help="The authenticator's code")] = None) -> None:
    """Password and TOTP code at the policy service; the token is kept for this session."""
    session = login(_given(account, "--account", WORDS["account"]),
                    _given(password, "--password", WORDS["password"], hide=True), _given(code, "--code", WORDS["code"]))
    emit({"account": session.account, "session_file": str(session_file())},
         lambda d: console.print(WORDS["logged_in"].format(account=d["account"])))


def _given(value: str | None, option: str, question: str, hide: bool = False) -> str:
    """An option's value, else asked at a terminal; with no terminal, say which option to give."""
    if value is not None:
        return value
    if not at_terminal():
        raise NoTerminal(WORDS["missing"].format(option=option))
    answer: str = typer.prompt(question, hide_input=hide)
    return answer


@app.command("logout")
def log_out() -> None:
    """End the session here and at the policy service."""
    try:
        Ops(context().totp, interactive=False).policy.logout()
    finally:
        session_file().unlink(missing_ok=True)
    emit({"logged_out": True}, lambda _: console.print(WORDS["logged_out"]))


@app.command()
def whoami() -> None:
    emit(as_json(Ops().policy.me()), lambda data: fields(data, title=Session.load().account))
