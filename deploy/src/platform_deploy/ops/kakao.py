"""`lottery-ops kakao outages | outage ID`: the Kakao login outages the fleet saw and, after recovery, one
outage's refused logins by time window, every replica of every service added up (seed §9.3 "인증 실패
로그/시간대 보고"). Times in KST to the minute."""

from typing import Annotated, Any

import typer

from platform_deploy.ops.client import Ops
from platform_deploy.ops.output import console, context, emit, table
from platform_deploy.ops.words import Words, readable
from platform_shared.client.endpoint import as_json

HELP = "Kakao login outages across the fleet and their failures by time window (seed §9.3)."
WORDS = Words({
    "none": ("no Kakao login outage seen", "확인된 카카오 로그인 장애가 없습니다"),
    "ongoing": ("ongoing", "진행 중"),
    "id": ("id", "번호"),
    "started_at": ("started", "시작"),
    "ended_at": ("ended", "종료"),
    "replicas_down": ("replicas still failing", "아직 실패 중인 인스턴스"),
    "window": ("window", "구간"),
    "total": ("total", "합계"),
    "summary": ("outage {id}: {started} – {ended}; {total} refused login(s) in {windows} window(s) from "
                "{replicas} replica(s)",
                "장애 {id}: {started} – {ended}; 인스턴스 {replicas}개에서 {windows}개 구간 동안 "
                "로그인 실패 {total}건"),
    "no_failures": ("no refused logins were reported in the outage", "장애 동안 보고된 로그인 실패가 없습니다"),
}, help={
    HELP: "전체 인스턴스에 걸친 카카오 로그인 장애와 시간대별 실패 (seed §9.3).",
    "Every Kakao login outage the fleet saw, newest first.": "전체 인스턴스가 겪은 카카오 로그인 장애, 최신 순.",
    "One outage's refused logins and tokens by time window and reason, every replica added up.":
        "한 장애의 로그인·토큰 실패를 시간대 구간과 사유별로, 모든 인스턴스를 합쳐 보여 줍니다.",
    "The outage's number (lottery-ops kakao outages)": "장애 번호 (lottery-ops kakao outages)",
})
app = typer.Typer(no_args_is_help=True, help=HELP)


def _ops() -> Ops:
    return Ops(context().totp)


@app.command("outages")
def outages() -> None:
    """Every Kakao login outage the fleet saw, newest first."""

    def show(rows: list[dict[str, Any]]) -> None:
        if not rows:
            console.print(WORDS["none"])
            return
        table([{WORDS["id"]: row["id"], WORDS["started_at"]: row["started_at"],
                WORDS["ended_at"]: row["ended_at"] or WORDS["ongoing"],
                WORDS["replicas_down"]: row["replicas_down"]} for row in rows],
              [WORDS[name] for name in ("id", "started_at", "ended_at", "replicas_down")])

    emit(as_json(_ops().policy.kakao_outages()), show)


@app.command("outage")
def outage(outage_id: Annotated[int, typer.Argument(min=1, help="The outage's number (lottery-ops kakao "
                                                                 "outages)")]) -> None:
    """One outage's refused logins and tokens by time window and reason, every replica added up."""
    emit(as_json(_ops().policy.kakao_outage(outage_id)), show_report)


def show_report(report: dict[str, Any]) -> None:
    found = report["outage"]
    console.print(WORDS["summary"].format(
        id=found["id"], started=readable(found["started_at"]),
        ended=readable(found["ended_at"]) if found["ended_at"] else WORDS["ongoing"],
        total=sum(report["totals"].values()), windows=len(report["windows"]), replicas=len(report["replicas"])))
    if not report["windows"]:
        console.print(WORDS["no_failures"])
        return
    reasons = sorted(report["totals"])
    rows = [{WORDS["window"]: _window(w["window_start"], w["window_end"]),
             **{reason: w["failures"].get(reason, 0) for reason in reasons}, WORDS["total"]: w["total"]}
            for w in report["windows"]]
    rows.append({WORDS["window"]: WORDS["total"], **report["totals"], WORDS["total"]: sum(report["totals"].values())})
    table(rows, [WORDS["window"], *reasons, WORDS["total"]])


def _window(start: str, end: str) -> str:
    """`2026년 12월 7일 22:05–22:06 (KST)`: the end as a time of day, the date and zone being the start's."""
    shown_start, shown_end = str(readable(start)), str(readable(end))
    end_time = next((part for part in shown_end.split(" ") if part.count(":") == 1), shown_end)
    head, zone, tail = shown_start.rpartition(" (")
    return f"{head}–{end_time} ({tail}" if zone else f"{shown_start} – {shown_end}"
