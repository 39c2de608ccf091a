"""`lottery-ops policy`: the control plane (seed §8): show, history, diff, propagation, propose → confirm,
roll back → confirm."""

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from platform_deploy.ops.client import Ops, Refused
from platform_deploy.ops.output import confirm, context, emit, fields, table

app = typer.Typer(no_args_is_help=True, help="The policy (seed §8): show, history, diff, propose, roll back.")
Reason = Annotated[str, typer.Option(help="Why (kept in the audit log and the policy history)")]


def _ops() -> Ops:
    return Ops(context().totp)


@app.command()
def show() -> None:
    """The policy in force."""
    emit(_ops().get("policy", "/policy"), lambda data: fields(data, title="policy in force"))


@app.command()
def history() -> None:
    emit(_ops().get("policy", "/policy/versions"),
         lambda rows: table(rows, ["version", "created_at", "created_by", "reason", "scope"]))


@app.command()
def diff(from_version: int, to_version: int) -> None:
    emit(_ops().get("policy", "/policy/diff", **{"from": from_version, "to": to_version}),
         lambda rows: table(rows, ["path", "before", "after"]))


@app.command()
def propagation() -> None:
    """Which version every service runs (seed §8.3)."""
    emit(_ops().get("policy", "/policy/propagation"), lambda data: fields(data, title="propagation"))


@app.command()
def propose(patch: Annotated[Path, typer.Argument(help="A JSON merge patch (RFC 7386) of the policy")],
            reason: Reason, impact: Annotated[str, typer.Option(help="What it is expected to do")] = "",
            campaign: Annotated[list[str] | None, typer.Option(help="Only for these campaigns")] = None) -> None:
    """Show the change's diff, confirm (or --yes), publish it."""
    try:
        merge_patch: dict[str, Any] = json.loads(patch.read_text())
    except (OSError, ValueError) as error:
        raise Refused(f"{patch}: not a readable JSON merge patch ({error})") from error
    ops = _ops()
    prepared = ops.post("policy", "/policy/changes/prepare", {"reason": reason, "impact_memo": impact,
                                                              "patch": merge_patch, "scope": campaign})
    if not context().as_json:
        fields(prepared, title="the change that will be published")
    confirm("Publish this policy change?")
    emit(ops.post("policy", "/policy/changes/confirm", {"token": prepared["token"]}), fields)


@app.command()
def rollback(version: int, reason: Reason) -> None:
    """Publish an earlier version again, as a new version (confirm, or --yes)."""
    ops = _ops()
    prepared = ops.post("policy", f"/policy/versions/{version}/rollback/prepare", {"reason": reason})
    if not context().as_json:
        fields(prepared, title=f"back to version {version}")
    confirm(f"Roll the policy back to version {version}?")
    emit(ops.post("policy", "/policy/rollback/confirm", {"token": prepared["token"]}), fields)
