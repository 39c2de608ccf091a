"""`lottery-ops notifications list | status | templates`: what was sent to whom and what it said (per run, per
template), the sending state (paused or not, the vendor up or down, the queue's counts) shown without changing
anything (seed §6, §6.3), and
the templates, one per name and locale."""

from collections import Counter
from typing import Annotated, Any

import typer

from platform_deploy.ops.client import Ops
from platform_deploy.ops.levers import notifications
from platform_deploy.ops.output import console, context, emit, fields, table
from platform_deploy.ops.words import Words, readable
from platform_shared.client.endpoint import as_json

TEMPLATES = "WINNER_OFFER | SEAT_CONFIRMED | WAITLIST_PROMOTION | DRAW_ROLLBACK_NOTICE | INCIDENT_NOTICE"
WORDS = Words({
    "paused": ("sending: PAUSED since {changed_at} by {changed_by}{until} — {reason}",
               "발송: 일시 중지됨 — {changed_at}부터, {changed_by}{until} — {reason}"),
    "until": (" until {paused_until}", ", {paused_until}까지"),
    "running": ("sending: running", "발송: 진행 중"),
    "by_template": ("{count} notification(s): {summary}", "알림 {count}건: {summary}"),
    "none": ("no notifications", "알림 없음"),
    "queue": ("queue", "대기열"),
    "vendor_up": ("vendor: up since {since}", "벤더 상태: 정상 — {since}부터"),
    "vendor_down": ("vendor: DOWN since {since} — {problem}", "벤더 상태: 장애 — {since}부터 — {problem}"),
    "vendor_unknown": ("vendor: not probed yet", "벤더 상태: 아직 확인 전"),
    "vendor_was": (" (last problem: {problem})", " (마지막 문제: {problem})"),
}, help={
    TEMPLATES: TEMPLATES,
    "Stored notifications in arrival order, with their counts by template and status.":
        "저장된 알림을 도착 순서대로, 템플릿과 상태별 개수와 함께 보여 줍니다.",
    "One draw run's notifications": "한 추첨 실행의 알림",
    "queued | held | sending | sent | retrying | dead | cancelled":
        "queued | held | sending | sent | retrying | dead | cancelled",
    "With what each one says (operators only)": "각 알림의 내용과 함께(운영자만)",
    "Whether sending is paused (since when, by whom, why, until when) and the queue by status; changes\nnothing.":
        "발송이 일시 중지되었는지(언제부터, 누가, 왜, 언제까지)와 상태별 대기열; 아무것도 바꾸지 않습니다.",
    "The message templates, one row per name and locale (Korean first, English alongside).":
        "메시지 템플릿, 이름과 언어마다 한 줄(한국어 먼저, 영어 함께).",
})


def _ops() -> Ops:
    return Ops(context().totp)


@notifications.command("list")
def list_notifications(
        run: Annotated[str | None, typer.Option(help="One draw run's notifications")] = None,
        template: Annotated[str | None, typer.Option(help=TEMPLATES)] = None,
        status: Annotated[str | None, typer.Option(help="queued | held | sending | sent | retrying | dead | "
                                                        "cancelled")] = None,
        text: Annotated[bool, typer.Option("--text", help="With what each one says (operators only)")] = False,
        limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100) -> None:
    """Stored notifications in arrival order, with their counts by template and status."""
    notifier = _ops().notifier
    found = notifier.notification_texts if text else notifier.notifications
    rows = as_json(found(run_id=run, status=status, template=template, limit=limit))
    columns = ["id", "user_id", "template", "status", "attempts", "run_id", "sent_at", *(["text"] if text else [])]

    def show(rows: list[dict[str, Any]]) -> None:
        if not rows:
            console.print(WORDS["none"])
            return
        table(rows, columns)
        counted = Counter((row["template"], row["status"]) for row in rows)
        console.print(WORDS["by_template"].format(count=len(rows), summary=", ".join(
            f"{template} {status} {count}" for (template, status), count in sorted(counted.items()))))

    emit(rows, show)


def vendor_line(vendor: dict[str, Any] | None) -> str:
    """The messaging vendor as the notifier's probe last found it (runbook §6.3: check the vendor first)."""
    if not vendor or vendor.get("up") is None:
        return WORDS["vendor_unknown"]
    since = readable(vendor["since"])
    if not vendor["up"]:
        return WORDS["vendor_down"].format(since=since, problem=vendor["last_problem"])
    was = WORDS["vendor_was"].format(problem=vendor["last_problem"]) if vendor.get("last_problem") else ""
    return WORDS["vendor_up"].format(since=since) + was


def sending_line(state: dict[str, Any]) -> str:
    """The sender's state in one line, the first thing an operator reads."""
    if not state["paused"]:
        return WORDS["running"]
    until = WORDS["until"].format(paused_until=readable(state["paused_until"])) if state.get("paused_until") else ""
    return WORDS["paused"].format(changed_at=readable(state["changed_at"]), changed_by=state["changed_by"],
                                  until=until, reason=state["reason"])


@notifications.command("status")
def sending_status() -> None:
    """Whether sending is paused (since when, by whom, why, until when) and the queue by status; changes
    nothing."""
    ops = _ops()
    dashboard = as_json(ops.notifier.dashboard())
    state = {"sending": as_json(ops.notifier.sending()), "vendor": dashboard.get("vendor"),
             "counts": dashboard["counts"]}

    def show(data: dict[str, Any]) -> None:
        console.print(sending_line(data["sending"]))
        console.print(vendor_line(data["vendor"]))
        fields(data["counts"], title=WORDS["queue"])

    emit(state, show)


@notifications.command("templates")
def templates() -> None:
    """The message templates, one row per name and locale (Korean first, English alongside)."""
    rows = sorted(as_json(_ops().notifier.templates()), key=lambda row: (row["name"], row["locale"] != "ko"))
    emit(rows, lambda shown: table(shown, ["name", "locale", "updated_at", "body"]))
