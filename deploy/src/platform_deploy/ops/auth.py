"""`lottery-ops auth 2fa-reset`: a lost device (seed §10). The holder asks with their password; a PM other
than the holder approves with a fresh second factor; the holder then enrols a new authenticator, once."""

import os
from typing import Annotated, Any

import typer

from platform_deploy.ops.client import Ops, OpsError, body, translated, url_of
from platform_deploy.ops.options import takes_totp
from platform_deploy.ops.output import at_terminal, console, context, emit, fields, table
from platform_shared.client.endpoint import as_json
from platform_shared.client.policy import PolicyClient
from platform_shared.client.transport import AdminHttp
from platform_shared.contracts.admin.identity import EnrolIn, ResetRequestIn
from platform_shared.contracts.admin.models import ReasonIn

# The words people read here, in one place (to be localised).
WORDS = {
    "help": "Your own login: a lost device's 2FA reset (seed §10).",
    "reset_help": "A lost device: ask (the holder), approve (another PM), enrol (the holder, once).",
    "password": "Password",
    "no_password": "no terminal to ask for the password on: set OPS_PASSWORD (never put it on the command line)",
    "asked": "reset asked: request {request_id}; a PM other than you approves it "
             "(`lottery-ops auth 2fa-reset approve {request_id} --reason …`)",
    "enrolled": "add this to your authenticator app (shown once): {provisioning_uri}",
    "codes": "backup codes (shown once, keep them offline): {codes}",
}
app = typer.Typer(no_args_is_help=True, help=WORDS["help"])
resets = typer.Typer(no_args_is_help=True, help=WORDS["reset_help"])
app.add_typer(resets, name="2fa-reset")
Account = Annotated[str, typer.Option(help="Your account (the holder's)")]


def _password() -> str:
    """The holder's password: OPS_PASSWORD, else asked without echo; never an option (shell history)."""
    given = os.environ.get("OPS_PASSWORD")
    if given:
        return given
    if not at_terminal():
        raise OpsError(WORDS["no_password"])
    answer: str = typer.prompt(WORDS["password"], hide_input=True)
    return answer


def _anonymous() -> PolicyClient:
    """The holder has lost their second factor, so has no session: these routes take the password."""
    return PolicyClient(AdminHttp(url_of("policy")))


@resets.command("ask")
def ask(account: Account, reason: Annotated[str, typer.Option(help="What happened to the device")]) -> None:
    """The holder asks for a reset with their password (no login needed)."""
    asking = body(ResetRequestIn, account=account, password=_password(), reason=reason)
    answer = as_json(translated("policy", lambda: _anonymous().request_reset(asking)))
    emit(answer, lambda data: console.print(WORDS["asked"].format(request_id=data["request_id"])))


@resets.command("list")
def open_requests() -> None:
    """Resets asked and not yet done."""
    emit(as_json(Ops(context().totp).policy.resets()),
         lambda rows: table(rows, ["id", "account", "status", "reason", "requested_at", "approved_by"]))


@resets.command("approve")
@takes_totp
def approve(request_id: str, reason: Annotated[str, typer.Option(help="How you checked it is them")]) -> None:
    """A PM other than the holder approves: the old secret, backup codes and every login of the account stop
    working."""
    approved = Ops(context().totp).policy.approve_reset(request_id, body(ReasonIn, reason=reason))
    emit(as_json(approved), lambda data: fields(data, title="2FA reset"))


@resets.command("enrol")
def enrol(request_id: str, account: Account) -> None:
    """The holder takes the new TOTP secret and backup codes, once, with their password."""
    enrolling = body(EnrolIn, account=account, password=_password())
    enrolment = as_json(translated("policy", lambda: _anonymous().enrol(request_id, enrolling)))

    def show(data: dict[str, Any]) -> None:
        console.print(WORDS["enrolled"].format(provisioning_uri=data["provisioning_uri"]))
        console.print(WORDS["codes"].format(codes=", ".join(data["backup_codes"])))

    emit(enrolment, show)
