"""`lottery-ops policy`: the control plane (seed §8): show, history, diff, propagation, propose → confirm,
roll back → confirm; backups and the restore of the history (seed §15)."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from platform_deploy.ops.client import Ops, Refused, body
from platform_deploy.ops.options import takes_totp
from platform_deploy.ops.output import confirm, console, context, emit, fields, table
from platform_shared.client.endpoint import as_json
from platform_shared.client.policy import BACKUP_FILE
from platform_shared.contracts.admin.models import ReasonIn, TokenIn
from platform_shared.contracts.admin.policy import ProposalIn

app = typer.Typer(no_args_is_help=True,
                  help="The policy (seed §8): show, history, diff, propose, roll back; back up, restore (§15).")
Reason = Annotated[str, typer.Option(help="Why (kept in the audit log and the policy history)")]


def _ops() -> Ops:
    return Ops(context().totp)


@app.command()
def show() -> None:
    """The policy in force."""
    emit(as_json(_ops().policy.policy()), lambda data: fields(data, title="policy in force"))


@app.command()
def history() -> None:
    emit(as_json(_ops().policy.versions()),
         lambda rows: table(rows, ["version", "created_at", "created_by", "reason", "scope"]))


@app.command()
def diff(from_version: int, to_version: int) -> None:
    emit(as_json(_ops().policy.diff(from_version, to_version)),
         lambda rows: table(rows, ["path", "before", "after"]))


@app.command()
def propagation() -> None:
    """Which version every service runs (seed §8.3)."""
    emit(as_json(_ops().policy.propagation()), lambda data: fields(data, title="propagation"))


def _publish(ops: Ops, proposal: dict[str, Any], question: str) -> None:
    """Propose, show the diff, confirm (or --yes), publish."""
    prepared = ops.policy.propose(body(ProposalIn, **proposal))
    if not context().as_json:
        fields(as_json(prepared), title="the change that will be published")
    confirm(question)
    emit(as_json(ops.policy.confirm_change(TokenIn(token=prepared.token))), fields)


@app.command("adgate-exception")
@takes_totp
def adgate_exception(campaign: str, reason: Reason,
                     valid_from: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD, KST)")],
                     valid_until: Annotated[str, typer.Option("--until", help="Last day (YYYY-MM-DD, KST)")],
                     banner: Annotated[str, typer.Option(help="What entrant pages show meanwhile")] = "") -> None:
    """AdGate emergency stop for one campaign (seed §5): entries go in without a sponsor visit, marked."""
    ops = _ops()
    current = as_json(ops.policy.policy())["document"].get("adgate_exceptions", [])
    added = {"campaign_id": campaign, "reason": reason, "valid_from": valid_from, "valid_until": valid_until,
             "banner_text": banner}
    _publish(ops, {"reason": reason, "impact_memo": f"AdGate exception for {campaign}",
                   "patch": {"adgate_exceptions": [*current, added]}},
             f"Let entries into {campaign} without a sponsor visit from {valid_from} to {valid_until}?")


@app.command("adgate-exception-end")
@takes_totp
def end_adgate_exception(campaign: str, reason: Reason) -> None:
    """End a campaign's AdGate exceptions; the confirmation names the impact report."""
    ops = _ops()
    current = as_json(ops.policy.policy())["document"].get("adgate_exceptions", [])
    kept = [e for e in current if e["campaign_id"] != campaign]
    if len(kept) == len(current):
        raise Refused(f"no AdGate exception for {campaign!r} in the policy in force")
    _publish(ops, {"reason": reason, "patch": {"adgate_exceptions": kept}},
             f"End the AdGate exception of {campaign}?")


@app.command("adgate-bypass")
@takes_totp
def adgate_bypass(state: Annotated[str, typer.Argument(help="on | off")], reason: Reason,
                  banner: Annotated[str, typer.Option(help="What entrant pages show while it is on")] = "") -> None:
    """The global AdGate bypass (seed §5), on or off."""
    if state not in ("on", "off"):
        raise typer.BadParameter("on or off", param_hint="STATE")
    patch: dict[str, Any] = {"adgate_global_bypass": state == "on"}
    if banner:
        patch["adgate_global_bypass_banner"] = banner
    _publish(_ops(), {"reason": reason, "patch": patch}, f"Turn the global AdGate bypass {state}?")


@app.command()
def impact(campaign: Annotated[str | None, typer.Option(help="One campaign")] = None) -> None:
    """The AdGate impact report: entries admitted under each exemption, per campaign (the lottery's)."""
    emit(as_json(_ops().lottery.adgate_exemptions(campaign)),
         lambda rows: table(rows if isinstance(rows, list) else [rows],
                            ["campaign_id", "exemption", "entries", "first_entry_at", "last_entry_at"]))


@app.command()
@takes_totp
def propose(patch: Annotated[Path, typer.Argument(help="A JSON merge patch (RFC 7386) of the policy")],
            reason: Reason, memo: Annotated[str, typer.Option("--impact", help="What it is expected to do")] = "",
            campaign: Annotated[list[str] | None, typer.Option(help="Only for these campaigns")] = None) -> None:
    """Show the change's diff, confirm (or --yes), publish it."""
    try:
        merge_patch: dict[str, Any] = json.loads(patch.read_text())
    except (OSError, ValueError) as error:
        raise Refused(f"{patch}: not a readable JSON merge patch ({error})") from error
    _publish(_ops(), {"reason": reason, "impact_memo": memo, "patch": merge_patch, "scope": campaign},
             "Publish this policy change?")


@app.command()
@takes_totp
def rollback(version: int, reason: Reason) -> None:
    """Publish an earlier version again, as a new version (confirm, or --yes)."""
    ops = _ops()
    prepared = ops.policy.prepare_rollback(version, body(ReasonIn, reason=reason))
    if not context().as_json:
        fields(as_json(prepared), title=f"back to version {version}")
    confirm(f"Roll the policy back to version {version}?")
    emit(as_json(ops.policy.confirm_rollback(TokenIn(token=prepared.token))), fields)


@app.command()
def backups() -> None:
    """The signed backups of the policy history the policy service keeps (seed §15), newest first."""
    emit(as_json(_ops().policy.backups()), lambda rows: table(rows, ["file", "bytes"]))


@app.command()
@takes_totp
def backup(save: Annotated[Path | None, typer.Option(help="Also download the file to this path")] = None) -> None:
    """Take a signed backup of the whole policy history now (audited); optionally keep a copy here."""
    ops = _ops()
    taken = as_json(ops.policy.take_backup())
    if save is not None:
        with ops.policy.http.stream(BACKUP_FILE, file=taken["file"]) as response:
            save.write_bytes(response.read())
        taken = {**taken, "saved_to": str(save)}
    emit(taken, lambda data: fields(data, title="policy backup"))


@app.command()
def restore(file: Annotated[Path, typer.Argument(help="A backup file this installation signed")],
            by: Annotated[str, typer.Option(help="Who restores (for the audit log)")]) -> None:
    """Disaster recovery (seed §15): fill an EMPTY policy database from a backup, before the policy service
    first starts on it. Runs `policy-admin restore` on this host, with its environment (POLICY_DATABASE_URL,
    ADMIN_TOKEN_JWKS); a corrupt, foreign or unreadable file, or a database with a history, is refused."""
    confirm(f"Restore the policy history from {file} into the empty database at POLICY_DATABASE_URL?")
    done = subprocess.run([sys.executable, "-m", "policy_service.entrypoints.cli.accounts_cli", "restore", str(file),
                           "--by", by], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Refused((done.stderr.strip().splitlines() or ["policy-admin restore failed"])[-1])
    emit({"restored": done.stdout.strip()}, lambda data: console.print(data["restored"]))
