"""`lottery-ops draws`: the runbook's draw (seed §3): create, load entries, close, list, pre-check (§3.1),
dry run (§3.2), run = prepare → confirm → execute (§3.3), results, verify (§3.4), export, roll back (§3.5)."""

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

from platform_deploy.ops import entries
from platform_deploy.ops.client import Ops, OpsError, body
from platform_deploy.ops.options import takes_totp
from platform_deploy.ops.output import confirm, console, context, emit, fields, table
from platform_shared.client.endpoint import as_json
from platform_shared.client.lottery import EXPORT_RUN
from platform_shared.contracts.admin.lottery_requests import DrawIn, PrepareRunIn
from platform_shared.contracts.admin.models import ReasonIn, TokenIn

# The words people read here, in one place (to be localised).
WORDS = {
    "help": "Draws (seed §3): create, entries, close, pre-check, dry run, run, results, verify, export, roll back.",
    "page": "page {page} of {pages} ({shown} of {total} places){more}",
    "more": "; --page {next} for the next",
    "void": "this run was rolled back: its results are void",
}
app = typer.Typer(no_args_is_help=True, help=WORDS["help"])
app.add_typer(entries.app, name="entries")
DRAWABLE = ("closed", "drawing_ready")
DRAW_COLUMNS = ["campaign_id", "status", "seats", "waitlist_size", "draw_at", "algorithm"]


class CheckFailed(OpsError):
    exit_code = 1


def _ops() -> Ops:
    return Ops(context().totp)


@app.command("list")
def list_draws(
        needs_review: Annotated[bool, typer.Option(help="Only draws outside the policy in force")] = False) -> None:
    """Every draw with its status."""
    draws = as_json(_ops().lottery.draws(needs_review=needs_review or None))
    emit(draws, lambda rows: table(rows, DRAW_COLUMNS))


@app.command()
def create(campaign: str,
           seats: Annotated[int, typer.Option(help="Winners (K)")],
           draw_at: Annotated[str, typer.Option(help="When the draw is due: ISO time with offset, e.g. "
                                                     "2026-12-01T20:00+09:00")],
           waitlist: Annotated[int, typer.Option(help="Places on the waitlist (W)")] = 0,
           requires_intro: Annotated[bool, typer.Option(help="Entrants must have seen the intro")] = False,
           requires_adgate: Annotated[bool, typer.Option(help="Entrants must have visited the sponsor")] = False,
           weight_cap: Annotated[float | None, typer.Option(help="The event's own cap, within the policy's")] = None,
           cooldown_hours: Annotated[float | None, typer.Option(help="Recent winners enter with base weight")] = None,
           intro: Annotated[str | None, typer.Option(help="What entrants read before entering")] = None) -> None:
    """A new draw (a campaign event), open for entries."""
    draw = body(DrawIn, campaign_id=campaign, seats=seats, waitlist_size=waitlist, draw_at=draw_at,
                requires_intro=requires_intro, requires_adgate=requires_adgate, weight_cap=weight_cap,
                cooldown_hours=cooldown_hours, intro=intro)
    emit(as_json(_ops().lottery.create_draw(draw)), lambda data: fields(data, [*DRAW_COLUMNS, "review"]))


@app.command()
def close(campaign: str) -> None:
    """Stop entries: every entry's decision and weight is frozen and the seed committed (seed §3.1)."""
    emit(as_json(_ops().lottery.close_entries(campaign)),
         lambda data: fields(data, [*DRAW_COLUMNS, "commitment", "frozen_set_hash"]))


@app.command()
def results(run_id: str,
            outcome: Annotated[str | None, typer.Option(help="winner | waitlist (default: both)")] = None,
            page: Annotated[int, typer.Option(min=1, help="Which page")] = 1,
            per_page: Annotated[int, typer.Option(min=1, max=100_000, help="Places per page")] = 50) -> None:
    """A run's winners and waitlist in rank order, a page at a time (`--json`: the page with its counts)."""
    run = as_json(_ops().lottery.run(run_id))
    chosen = [r for r in run.pop("results") if outcome is None or r["outcome"] == outcome]
    pages = max(1, -(-len(chosen) // per_page))
    shown = chosen[(page - 1) * per_page:page * per_page]
    answer = {"run": run, "outcome": outcome, "page": page, "pages": pages, "total": len(chosen),
              "results": shown}

    def show(data: dict[str, Any]) -> None:
        fields(run, ["id", "campaign_id", "status", "seats", "waitlist_size", "eligible_count"])
        if run["results_void"]:
            console.print(WORDS["void"])
        table(shown, ["rank", "kakao_user_id", "outcome", "weight"])
        more = WORDS["more"].format(next=page + 1) if page < pages else ""
        console.print(WORDS["page"].format(page=page, pages=pages, shown=len(shown), total=len(chosen), more=more))

    emit(answer, show)


@app.command()
def precheck(campaign: str) -> None:
    """The pre-check of seed §3.1 as a checklist; exit 1 if the draw cannot run."""
    ops = _ops()
    draw = as_json(ops.lottery.draw(campaign))
    if draw["status"] in DRAWABLE:
        report = as_json(ops.lottery.dry_run(campaign))
        checks = precheck_items(report)
    else:  # nothing else to look at before its entries close
        report, checks = draw, [{"item": "status is closed or drawing_ready", "ok": False, "seen": draw["status"]}]
    emit({"report": report, "checks": checks}, lambda _: _show_checks(checks))
    if not all(check["ok"] for check in checks):
        raise CheckFailed(f"pre-check of {campaign} failed: "
                          + ", ".join(check["item"] for check in checks if not check["ok"]))


def precheck_items(report: dict[str, Any]) -> list[dict[str, Any]]:
    rates = report["pass_rates"]
    return [
        {"item": "status is closed or drawing_ready", "ok": report["status"] in DRAWABLE, "seen": report["status"]},
        {"item": "draw time reached (or override with --early-reason)", "ok": report["draw_at_reached"],
         "seen": report["draw_at_kst"]},
        {"item": "seats (K) and waitlist (W)", "ok": report["seats"] >= 1,
         "seen": f"K={report['seats']} W={report['waitlist_size']}"},
        {"item": "Intro-first / AdGate pass rates", "ok": report["eligible"] > 0,
         "seen": ", ".join(f"{k} {v:.0%}" if v is not None else f"{k} not required" for k, v in rates.items())},
        {"item": "blacklist / suspicious filters on", "ok": True,
         "seen": ", ".join(f"{k} {v}" for k, v in report["excluded"].items())},
        {"item": "weight cap of the policy in force", "ok": report["entries_above_cap"] == 0,
         "seen": f"cap {report['weight_cap']} (policy v{report['policy_version']}), "
                 f"{report['entries_above_cap']} entries above it"},
        {"item": "seed display value", "ok": bool(report["seed_display"]), "seen": report["seed_display"]},
    ]


def _show_checks(checks: list[dict[str, Any]]) -> None:
    for check in checks:
        mark = "[green]✓[/green]" if check["ok"] else "[red]✗[/red]"
        console.print(f"{mark} {check['item']}: {check['seen']}")


@app.command("dry-run")
def dry_run(campaign: str) -> None:
    """Counts, pass rates, the weight histogram (drawn here) and a NOT FINAL sample of 5 (seed §3.2)."""
    report = as_json(_ops().lottery.dry_run(campaign))

    def show(data: dict[str, Any]) -> None:
        fields(data, ["campaign_id", "status", "eligible", "total_entries", "excluded", "pass_rates", "weight_cap",
                      "seed_display", "draw_at_kst"], title=f"dry run of {campaign} (stores nothing)")
        histogram = data["histogram"]
        peak = max(histogram["counts"] or [1]) or 1
        for low, high, count in zip(histogram["edges"], histogram["edges"][1:], histogram["counts"], strict=False):
            console.print(f"{low:8.2f}–{high:<8.2f} {'█' * round(40 * count / peak):<40} {count}")
        console.print(f"sample (NOT FINAL): {data['sample']}")

    emit(report, show)


@app.command()
@takes_totp
def run(campaign: str, early_reason: Annotated[str | None, typer.Option(
        help="Run before the draw time anyway, and why (seed §3.1; kept in the audit log)")] = None) -> None:
    """Prepare, show exactly what will happen, confirm (or --yes), execute (seed §3.3)."""
    ops = _ops()
    prepared = ops.lottery.prepare_run(campaign, body(PrepareRunIn, early_reason=early_reason))
    if not context().as_json:
        fields(as_json(prepared), ["campaign_id", "seats", "waitlist_size", "eligible", "ranked", "draw_at_kst",
                          "seed_display", "policy_version", "weight_cap", "entries_above_cap", "entry_set_hash",
                          "early_reason", "expires_at"], title="the draw that will run")
    confirm(f"Execute the draw of {campaign} now (seats, seed and time as shown)?")
    executed = as_json(ops.lottery.execute_run(campaign, TokenIn(token=prepared.token)))
    emit(executed, lambda data: fields(data, ["id", "campaign_id", "status", "seats", "waitlist_size",
                                              "eligible_count", "algorithm", "commitment"], title="executed"))


@app.command()
def verify(run_id: str) -> None:
    """Count check and audit replay (seed §3.4); exit 1 if anything differs."""
    verification = as_json(_ops().lottery.verify_run(run_id))
    emit(verification, lambda data: fields(data, title=f"verification of run {run_id}"))
    if not (verification["count_ok"] and verification["replay_matches"] and verification["entry_set_ok"]):
        raise CheckFailed(f"run {run_id} does not verify: {verification['first_difference'] or verification}")


@app.command()
def export(run_id: str, out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the CSV")]) -> None:
    """The run's CSV (every eligible entrant: rank, user, outcome, weight, key), streamed to a file."""
    written = 0
    with _ops().lottery.http.stream(EXPORT_RUN, run_id=run_id) as response, out.open("wb") as file, \
            Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                     console=console, disable=context().as_json) as progress:
        task = progress.add_task(f"export of {run_id}", total=None)
        for chunk in response.iter_bytes():
            file.write(chunk)
            written += len(chunk)
            progress.update(task, advance=len(chunk))
    emit({"run_id": run_id, "file": str(out), "bytes": written}, lambda d: console.print(f"wrote {d['bytes']} "
                                                                                        f"bytes to {d['file']}"))


@app.command()
@takes_totp
def rollback(run_id: str, reason: Annotated[str, typer.Option(help="Why (kept in the audit log)")]) -> None:
    """Void the run's winners and waitlist (seed §3.5): prepare, show, confirm, roll back."""
    ops = _ops()
    prepared = ops.lottery.prepare_rollback(run_id, body(ReasonIn, reason=reason))
    if not context().as_json:
        fields(as_json(prepared), ["run_id", "campaign_id", "reason", "winners_voided", "waitlist_voided",
                                   "expires_at"], title="the rollback that will happen")
    confirm(f"Roll back run {run_id}?")
    done = as_json(ops.lottery.confirm_rollback(run_id, TokenIn(token=prepared.token)))
    emit(done, lambda data: fields(data, ["id", "campaign_id", "status", "rolled_back_at", "rollback_reason"]))
