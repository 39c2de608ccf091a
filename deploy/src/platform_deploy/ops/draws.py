"""`lottery-ops draws`: the runbook's draw (seed §3): create, load entries, close, list, pre-check (§3.1),
dry run (§3.2), run = prepare → confirm → execute (§3.3), results, verify (§3.4), export, roll back (§3.5),
correct the seats (§3.5, ops/corrections.py)."""

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

from platform_deploy.ops import entries
from platform_deploy.ops.client import Ops, OpsError, body
from platform_deploy.ops.options import takes_totp
from platform_deploy.ops.output import confirm, console, context, emit, fields, scalar, table
from platform_deploy.ops.words import Words
from platform_shared.client.endpoint import as_json
from platform_shared.client.lottery import EXPORT_RUN
from platform_shared.contracts.admin.lottery_requests import DrawIn, PrepareRunIn
from platform_shared.contracts.admin.models import ReasonIn, TokenIn

HELP = "Draws (seed §3): create, entries, close, pre-check, dry run, run, results, verify, export, roll back."
WORDS = Words({
    "page": ("page {page} of {pages} ({shown} of {total} places){more}",
             "{pages}쪽 중 {page}쪽 ({total}자리 중 {shown}자리){more}"),
    "more": ("; --page {next} for the next", "; 다음은 --page {next}"),
    "void": ("this run was rolled back: its results are void", "이 실행은 롤백되었습니다: 결과는 무효입니다"),
    "check_failed": ("pre-check of {campaign} failed: {items}", "{campaign} 사전 점검 실패: {items}"),
    "status_item": ("status is closed or drawing_ready", "상태가 closed 또는 drawing_ready"),
    "time_item": ("draw time reached (or override with --early-reason)",
                  "추첨 시각 도달(이르면 --early-reason으로 사유를 남기고 진행)"),
    "places_item": ("seats (K) and waitlist (W)", "당첨 인원(K)과 대기 인원(W)"),
    "rates_item": ("Intro-first / AdGate pass rates", "소개 먼저 보기 / AdGate 통과율"),
    "not_required": ("{name} not required", "{name} 요구 안 함"),
    "filters_item": ("blacklist / suspicious filters on", "차단 목록 / 의심 응모 필터 켜짐"),
    "cap_item": ("weight cap of the policy in force", "시행 중인 정책의 가중치 상한"),
    "cap_seen": ("cap {cap} (policy v{version}), {above} entries above it",
                 "상한 {cap} (정책 v{version}), 상한 초과 응모 {above}건"),
    "seed_item": ("seed display value", "시드 표시값"),
    "dry_run_title": ("dry run of {campaign} (stores nothing)", "{campaign} 모의 추첨 (아무것도 저장하지 않음)"),
    "sample": ("sample (NOT FINAL): {sample}", "표본 (최종 아님): {sample}"),
    "will_run": ("the draw that will run", "실행될 추첨"),
    "execute": ("Execute the draw of {campaign} now (seats, seed and time as shown)?",
                "{campaign} 추첨을 지금 실행할까요(인원, 시드, 시각은 위와 같음)?"),
    "executed": ("executed", "실행됨"),
    "verification": ("verification of run {run_id}", "실행 {run_id} 검증"),
    "not_verified": ("run {run_id} does not verify: {difference}", "실행 {run_id} 검증 실패: {difference}"),
    "exporting": ("export of {run_id}", "{run_id} 내보내기"),
    "wrote": ("wrote {bytes} bytes to {file}", "{file}에 {bytes}바이트를 썼습니다"),
    "will_roll_back": ("the rollback that will happen", "실행될 롤백"),
    "roll_back": ("Roll back run {run_id}?", "실행 {run_id}을(를) 롤백할까요?"),
}, help={
    HELP: "추첨(seed §3): 만들기, 응모, 마감, 사전 점검, 모의 추첨, 실행, 결과, 검증, 내보내기, 롤백.",
    "Every draw with its status.": "모든 추첨과 상태.",
    "Only draws outside the policy in force": "시행 중인 정책을 벗어난 추첨만",
    "A new draw (a campaign event), open for entries.": "새 추첨(캠페인 이벤트)을 만들고 응모를 받습니다.",
    "What entrants and their messages call it (default: the campaign id)":
        "응모자와 안내 메시지에 보이는 이름(기본값: 캠페인 ID)",
    "Winners (K)": "당첨 인원(K)",
    "When the draw is due: ISO time with offset, e.g. 2026-12-01T20:00+09:00":
        "추첨 예정 시각: 오프셋이 있는 ISO 시각, 예: 2026-12-01T20:00+09:00",
    "Places on the waitlist (W)": "대기 인원(W)",
    "Entrants must have seen the intro": "응모자는 소개를 먼저 보아야 함",
    "Entrants must have visited the sponsor": "응모자는 후원사를 방문해야 함",
    "The event's own cap, within the policy's": "이벤트 자체 상한(정책의 상한 이내)",
    "Recent winners enter with base weight": "최근 당첨자는 기본 가중치로 응모",
    "What entrants read before entering": "응모 전에 응모자가 읽는 소개",
    "Stop entries: every entry's decision and weight is frozen and the seed committed (seed §3.1).":
        "응모를 마감합니다: 모든 응모의 판정과 가중치를 고정하고 시드를 약속합니다(seed §3.1).",
    "Why (kept in the audit log)": "사유(감사 로그에 남음)",
    "A run's winners and waitlist in rank order, a page at a time (`--json`: the page with its counts).":
        "실행의 당첨자와 대기자를 순위대로 한 쪽씩(`--json`: 그 쪽과 개수).",
    "winner | waitlist (default: both)": "winner | waitlist (기본: 둘 다)",
    "Which page": "몇 쪽",
    "Places per page": "한 쪽의 자리 수",
    "The pre-check of seed §3.1 as a checklist; exit 1 if the draw cannot run.":
        "seed §3.1의 사전 점검 목록; 추첨할 수 없으면 종료 코드 1.",
    "Counts, pass rates, the weight histogram (drawn here) and a NOT FINAL sample of 5 (seed §3.2).":
        "개수, 통과율, 가중치 히스토그램(여기 그림)과 최종이 아닌 표본 5명(seed §3.2).",
    "Prepare, show exactly what will happen, confirm (or --yes), execute (seed §3.3).":
        "준비하고, 무엇이 일어날지 정확히 보여 주고, 확인(또는 --yes)한 뒤 실행합니다(seed §3.3).",
    "Run before the draw time anyway, and why (seed §3.1; kept in the audit log)":
        "추첨 시각 전이지만 실행하는 사유(seed §3.1; 감사 로그에 남음)",
    "Count check and audit replay (seed §3.4); exit 1 if anything differs.":
        "개수 점검과 감사 재현(seed §3.4); 다른 것이 있으면 종료 코드 1.",
    "The run's CSV (every eligible entrant: rank, user, outcome, weight, key), streamed to a file.":
        "실행의 CSV(자격 있는 모든 응모자: 순위, 사용자, 결과, 가중치, 키)를 파일로 받습니다.",
    "Where to write the CSV": "CSV를 쓸 위치",
    "Void the run's winners and waitlist (seed §3.5): prepare, show, confirm, roll back.":
        "실행의 당첨자와 대기자를 무효로 합니다(seed §3.5): 준비, 확인 화면, 확인, 롤백.",
})
app = typer.Typer(no_args_is_help=True, help=HELP)
app.add_typer(entries.app, name="entries")
DRAWABLE = ("closed", "drawing_ready")
DRAW_COLUMNS = ["campaign_id", "display_name", "status", "seats", "waitlist_size", "draw_at", "algorithm"]
Reason = Annotated[str, typer.Option(help="Why (kept in the audit log)")]


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
           intro: Annotated[str | None, typer.Option(help="What entrants read before entering")] = None,
           display_name: Annotated[str | None, typer.Option(
               help="What entrants and their messages call it (default: the campaign id)")] = None) -> None:
    """A new draw (a campaign event), open for entries."""
    draw = body(DrawIn, campaign_id=campaign, display_name=display_name, seats=seats, waitlist_size=waitlist,
                draw_at=draw_at, requires_intro=requires_intro, requires_adgate=requires_adgate, weight_cap=weight_cap,
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
        report, checks = draw, [{"item": WORDS["status_item"], "ok": False, "seen": draw["status"]}]
    emit({"report": report, "checks": checks}, lambda _: _show_checks(checks))
    if not all(check["ok"] for check in checks):
        raise CheckFailed(WORDS["check_failed"].format(
            campaign=campaign, items=", ".join(check["item"] for check in checks if not check["ok"])))


def precheck_items(report: dict[str, Any]) -> list[dict[str, Any]]:
    rates = report["pass_rates"]
    return [
        {"item": WORDS["status_item"], "ok": report["status"] in DRAWABLE, "seen": report["status"]},
        {"item": WORDS["time_item"], "ok": report["draw_at_reached"], "seen": report["draw_at_kst"]},
        {"item": WORDS["places_item"], "ok": report["seats"] >= 1,
         "seen": f"K={report['seats']} W={report['waitlist_size']}"},
        {"item": WORDS["rates_item"], "ok": report["eligible"] > 0,
         "seen": ", ".join(f"{k} {v:.0%}" if v is not None else WORDS["not_required"].format(name=k)
                           for k, v in rates.items())},
        {"item": WORDS["filters_item"], "ok": True,
         "seen": ", ".join(f"{k} {v}" for k, v in report["excluded"].items())},
        {"item": WORDS["cap_item"], "ok": report["entries_above_cap"] == 0,
         "seen": WORDS["cap_seen"].format(cap=report["weight_cap"], version=report["policy_version"],
                                          above=report["entries_above_cap"])},
        {"item": WORDS["seed_item"], "ok": bool(report["seed_display"]), "seen": report["seed_display"]},
    ]


def _show_checks(checks: list[dict[str, Any]]) -> None:
    for check in checks:
        mark = "[green]✓[/green]" if check["ok"] else "[red]✗[/red]"
        console.print(f"{mark} {check['item']}: {scalar(check['seen'])}")


@app.command("dry-run")
def dry_run(campaign: str) -> None:
    """Counts, pass rates, the weight histogram (drawn here) and a NOT FINAL sample of 5 (seed §3.2)."""
    report = as_json(_ops().lottery.dry_run(campaign))

    def show(data: dict[str, Any]) -> None:
        fields(data, ["campaign_id", "status", "eligible", "total_entries", "excluded", "pass_rates", "weight_cap",
                      "seed_display", "draw_at_kst"], title=WORDS["dry_run_title"].format(campaign=campaign))
        histogram = data["histogram"]
        peak = max(histogram["counts"] or [1]) or 1
        for low, high, count in zip(histogram["edges"], histogram["edges"][1:], histogram["counts"], strict=False):
            console.print(f"{low:8.2f}–{high:<8.2f} {'█' * round(40 * count / peak):<40} {count}")
        console.print(WORDS["sample"].format(sample=data["sample"]))

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
                          "early_reason", "expires_at"], title=WORDS["will_run"])
    confirm(WORDS["execute"].format(campaign=campaign))
    executed = as_json(ops.lottery.execute_run(campaign, TokenIn(token=prepared.token)))
    emit(executed, lambda data: fields(data, ["id", "campaign_id", "status", "seats", "waitlist_size",
                                              "eligible_count", "algorithm", "commitment"], title=WORDS["executed"]))


@app.command()
def verify(run_id: str) -> None:
    """Count check and audit replay (seed §3.4); exit 1 if anything differs."""
    verification = as_json(_ops().lottery.verify_run(run_id))
    emit(verification, lambda data: fields(data, title=WORDS["verification"].format(run_id=run_id)))
    if not (verification["count_ok"] and verification["replay_matches"] and verification["entry_set_ok"]):
        raise CheckFailed(WORDS["not_verified"].format(
            run_id=run_id, difference=verification["first_difference"] or verification))


@app.command()
def export(run_id: str, out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the CSV")]) -> None:
    """The run's CSV (every eligible entrant: rank, user, outcome, weight, key), streamed to a file."""
    written = 0
    with _ops().lottery.http.stream(EXPORT_RUN, run_id=run_id) as response, out.open("wb") as file, \
            Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                     console=console, disable=context().as_json) as progress:
        task = progress.add_task(WORDS["exporting"].format(run_id=run_id), total=None)
        for chunk in response.iter_bytes():
            file.write(chunk)
            written += len(chunk)
            progress.update(task, advance=len(chunk))
    emit({"run_id": run_id, "file": str(out), "bytes": written},
         lambda data: console.print(WORDS["wrote"].format(bytes=data["bytes"], file=data["file"])))


@app.command()
@takes_totp
def rollback(run_id: str, reason: Reason) -> None:
    """Void the run's winners and waitlist (seed §3.5): prepare, show, confirm, roll back."""
    ops = _ops()
    prepared = ops.lottery.prepare_rollback(run_id, body(ReasonIn, reason=reason))
    if not context().as_json:
        fields(as_json(prepared), ["run_id", "campaign_id", "reason", "winners_voided", "waitlist_voided",
                                   "expires_at"], title=WORDS["will_roll_back"])
    confirm(WORDS["roll_back"].format(run_id=run_id))
    done = as_json(ops.lottery.confirm_rollback(run_id, TokenIn(token=prepared.token)))
    emit(done, lambda data: fields(data, ["id", "campaign_id", "status", "rolled_back_at", "rollback_reason"]))
