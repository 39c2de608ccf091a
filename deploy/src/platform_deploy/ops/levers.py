"""`lottery-ops consumers | dead-letters | notifications | waitlist | audit`: the incident levers of seed §6
and the checks after them, on any of the four services."""

import time
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress

from platform_deploy.ops.client import Ops, OpsError, body
from platform_deploy.ops.options import takes_totp
from platform_deploy.ops.output import confirm, console, context, emit, fields, table
from platform_deploy.ops.words import Words
from platform_shared.client.endpoint import as_json
from platform_shared.contracts.admin.models import ReasonIn, TokenIn
from platform_shared.contracts.admin.notifier import PauseIn as SendingPauseIn
from platform_shared.contracts.admin.notifier import ResendIn
from platform_shared.contracts.admin.platform import PauseIn, RedriveIn, ResumeIn, TagIn


class Service(StrEnum):
    policy = "policy"
    lottery = "lottery"
    waitlist = "waitlist"
    notifier = "notifier"


HELP = {
    "consumers": ("Pause and resume consumer groups on every replica.",
                  "모든 복제본에서 컨슈머 그룹을 일시 중지하고 재개합니다."),
    "dead_letters": ("Inspect, tag and redrive dead letters.", "데드 레터를 살펴보고, 태그하고, 다시 보냅니다."),
    "notifications": ("The notifier: dashboard, pause and resume, resend; what was sent, the sending state, templates.",
                      "알림 서비스: 대시보드, 일시 중지와 재개, 재발송; 보낸 내용, 발송 상태, 템플릿."),
    "waitlist": ("A run's seats and promotion.", "실행의 좌석과 승격."),
    "audit": ("The audit chain of a service.", "서비스의 감사 체인."),
}
WORDS = Words({
    "tagged": ("tagged {tagged}", "{tagged}건에 태그했습니다"),
    "chosen_ids": ("the letters {ids}", "레터 {ids}"),
    "chosen_all": ("every letter matching the filters", "필터에 맞는 모든 레터"),
    "redrive": ("Redrive {chosen} of {service} at {rate}/s?",
                "{service}의 {chosen}을(를) 초당 {rate}건으로 다시 보낼까요?"),
    "redrive_title": ("redrive", "재전송"),
    "cancelled": ("redrive {id} was cancelled after {redriven} of {total}",
                  "재전송 {id}은(는) {total}건 중 {redriven}건 후 취소되었습니다"),
    "notifications": ("notifications", "알림"),
    "will_resend": ("the resend that will happen", "실행될 재발송"),
    "resend": ("Requeue these notifications?", "이 알림들을 다시 대기열에 넣을까요?"),
    "run": ("run {run_id}", "실행 {run_id}"),
    "promotion": ("promotion pass", "승격 처리"),
    "audit_title": ("audit chain of {service}", "{service}의 감사 체인"),
    "audit_broken": ("the audit chain of {service} does not verify: {result}",
                     "{service}의 감사 체인 검증 실패: {result}"),
}, help={english: korean for english, korean in HELP.values()} | {
    "Why (kept in the audit log)": "사유(감사 로그에 남음)",
    "Per consumer group: desired state, and per replica its partitions, what is paused, the lag.":
        "컨슈머 그룹마다: 원하는 상태, 복제본마다 파티션, 일시 중지된 것, 지연.",
    "Hold intake in Kafka (no group or topic: all of the service's groups).":
        "Kafka에서 수신을 멈춥니다(그룹이나 토픽이 없으면 서비스의 모든 그룹).",
    "A consumer group (repeatable)": "컨슈머 그룹(여러 번 가능)",
    "Every group consuming this topic": "이 토픽을 소비하는 모든 그룹",
    "ISO time with offset; lifts itself then": "오프셋이 있는 ISO 시각; 그때 스스로 풀림",
    "Continue from the committed offsets.": "커밋된 오프셋부터 이어 갑니다.",
    "Newest first.": "최신 순.",
    "Source topic": "원래 토픽",
    "Consumer group": "컨슈머 그룹",
    "e.g. ValidationError": "예: ValidationError",
    "Ops' tag": "운영 태그",
    "Failed at or after (ISO time with offset)": "이 시각 이후 실패(오프셋이 있는 ISO 시각)",
    "Failed before (ISO time with offset)": "이 시각 전 실패(오프셋이 있는 ISO 시각)",
    "One dead letter, whole.": "데드 레터 하나의 전체.",
    "Tag sampled letters with their cause (seed §6.3).": "표본 레터에 원인 태그를 붙입니다(seed §6.3).",
    "The cause, e.g. template-missing": "원인, 예: template-missing",
    "Send the chosen letters back to their topics, oldest first, at a rate; follow its progress.":
        "고른 레터를 오래된 것부터 정한 속도로 원래 토픽에 다시 보내고, 진행을 따라갑니다.",
    "Letters per second": "초당 레터 수",
    "Show progress until it ends": "끝날 때까지 진행 표시",
    "Stop a redrive before its next letter.": "재전송을 다음 레터 전에 멈춥니다.",
    "Counts by status, failure reasons, enqueue success rate, quiet-hours violations (seed §6).":
        "상태별 개수, 실패 사유, 대기열 등록 성공률, 방해 금지 시간 위반(seed §6).",
    "Stop sending (intake goes on).": "발송을 멈춥니다(수신은 계속).",
    "ISO time with offset": "오프셋이 있는 ISO 시각",
    "Sending again (what waited goes out, quiet hours permitting).":
        "발송을 다시 시작합니다(기다리던 알림이 방해 금지 시간을 지켜 나갑니다).",
    "Requeue a segment of failed notifications (never one already sent): show how many, confirm, requeue.":
        "실패한 알림 묶음을 다시 대기열에 넣습니다(이미 보낸 것은 제외): 개수를 보여 주고, 확인하고, 넣습니다.",
    "dead | cancelled (repeatable; default both)": "dead | cancelled (여러 번 가능; 기본은 둘 다)",
    "Seats, offers by status and who waits, for one run.": "한 실행의 좌석, 상태별 제안, 대기자.",
    "A promotion pass now: expire overdue offers, offer free seats to the next in line.":
        "지금 승격 처리: 기한이 지난 제안을 만료하고, 빈 좌석을 다음 순서에게 제안합니다.",
    "Check the service's audit chain against its anchors; exit 1 if it is broken.":
        "서비스의 감사 체인을 앵커와 대조합니다; 깨졌으면 종료 코드 1.",
})
Reason = Annotated[str, typer.Option(help="Why (kept in the audit log)")]
consumers = typer.Typer(no_args_is_help=True, help=HELP["consumers"][0])
dead_letters = typer.Typer(no_args_is_help=True, help=HELP["dead_letters"][0])
notifications = typer.Typer(no_args_is_help=True, help=HELP["notifications"][0])
waitlist = typer.Typer(no_args_is_help=True, help=HELP["waitlist"][0])
audit = typer.Typer(no_args_is_help=True, help=HELP["audit"][0])


def _ops() -> Ops:
    return Ops(context().totp)


NO_REPLICA = {"replica": "—", "paused": False, "assigned": [], "lag": None}


def _show_consumers(groups: list[dict[str, Any]]) -> None:
    rows = [{"group": g["group_id"], "topic": g["topic"], "desired": "paused" if g["desired_paused"] else "running",
             "replica": r["replica"], "actual": "paused" if r["paused"] else "running",
             "partitions": ", ".join(r["assigned"]), "lag": r["lag"]}
            for g in groups for r in (g["replicas"] or [NO_REPLICA])]
    table(rows, ["group", "topic", "desired", "replica", "actual", "partitions", "lag"])


@consumers.command("status")
def consumer_status(service: Service) -> None:
    """Per consumer group: desired state, and per replica its partitions, what is paused, the lag."""
    emit(as_json(_ops().service(service).consumers()), _show_consumers)


@consumers.command("pause")
@takes_totp
def pause_consumers(service: Service, reason: Reason,
                    group: Annotated[list[str] | None, typer.Option(help="A consumer group (repeatable)")] = None,
                    topic: Annotated[str | None, typer.Option(help="Every group consuming this topic")] = None,
                    until: Annotated[str | None, typer.Option(help="ISO time with offset; lifts itself then")] = None,
                    ) -> None:
    """Hold intake in Kafka (no group or topic: all of the service's groups)."""
    pause = body(PauseIn, groups=group or None, topic=topic, until=until, reason=reason)
    emit(as_json(_ops().service(service).pause_consumers(pause)), _show_consumers)


@consumers.command("resume")
@takes_totp
def resume_consumers(service: Service, reason: Reason,
                     group: Annotated[list[str] | None, typer.Option(help="A consumer group (repeatable)")] = None,
                     topic: Annotated[str | None, typer.Option()] = None) -> None:
    """Continue from the committed offsets."""
    resume = body(ResumeIn, groups=group or None, topic=topic, reason=reason)
    emit(as_json(_ops().service(service).resume_consumers(resume)), _show_consumers)


def _filters(topic: str | None, group: str | None, exception_type: str | None, cause: str | None,
             since: str | None, until: str | None) -> dict[str, Any]:
    return {"topic": topic, "group": group, "exception_type": exception_type, "cause": cause, "since": since,
            "until": until}


Topic = Annotated[str | None, typer.Option(help="Source topic")]
Group = Annotated[str | None, typer.Option(help="Consumer group")]
ExceptionType = Annotated[str | None, typer.Option("--exception-type", help="e.g. ValidationError")]
Cause = Annotated[str | None, typer.Option(help="Ops' tag")]
Since = Annotated[str | None, typer.Option(help="Failed at or after (ISO time with offset)")]
Until = Annotated[str | None, typer.Option(help="Failed before (ISO time with offset)")]


@dead_letters.command("list")
def list_letters(service: Service, topic: Topic = None, group: Group = None, exception_type: ExceptionType = None,
                 cause: Cause = None, since: Since = None, until: Until = None,
                 limit: Annotated[int, typer.Option(min=1, max=1000)] = 50) -> None:
    """Newest first."""
    letters = as_json(_ops().service(service).dead_letters(
        limit=limit, **_filters(topic, group, exception_type, cause, since, until)))
    emit(letters, lambda rows: table(rows, ["id", "original_topic", "consumer_group", "exception_type", "cause",
                                            "dead_letter_count", "failed_at", "replayed_at"]))


@dead_letters.command("show")
def show_letter(service: Service, letter_id: int) -> None:
    """One dead letter, whole."""
    emit(as_json(_ops().service(service).dead_letter(letter_id)), lambda data: fields(data))


@dead_letters.command("tag")
@takes_totp
def tag_letters(service: Service, tag: Annotated[str, typer.Option(help="The cause, e.g. template-missing")],
                letter_id: Annotated[list[int] | None, typer.Option("--id")] = None, topic: Topic = None,
                group: Group = None, exception_type: ExceptionType = None, since: Since = None,
                until: Until = None) -> None:
    """Tag sampled letters with their cause (seed §6.3)."""
    tagging = body(TagIn, ids=letter_id or None, tag=tag, **_filters(topic, group, exception_type, None, since, until))
    emit(as_json(_ops().service(service).tag_letters(tagging)),
         lambda data: console.print(WORDS["tagged"].format(tagged=data["tagged"])))


@dead_letters.command("redrive")
@takes_totp
def redrive(service: Service, reason: Reason, letter_id: Annotated[list[int] | None, typer.Option("--id")] = None,
            topic: Topic = None, group: Group = None, exception_type: ExceptionType = None, cause: Cause = None,
            since: Since = None, until: Until = None,
            rate: Annotated[float, typer.Option(help="Letters per second", min=0.01, max=1000)] = 10.0,
            follow: Annotated[bool, typer.Option(help="Show progress until it ends")] = True) -> None:
    """Send the chosen letters back to their topics, oldest first, at a rate; follow its progress."""
    chosen = WORDS["chosen_ids"].format(ids=", ".join(map(str, letter_id))) if letter_id else WORDS["chosen_all"]
    confirm(WORDS["redrive"].format(chosen=chosen, service=service, rate=rate))
    redriving = body(RedriveIn, ids=letter_id or None, rate_per_second=rate, reason=reason,
                     **_filters(topic, group, exception_type, cause, since, until))
    ops = _ops()
    task = as_json(ops.service(service).start_redrive(redriving))
    if follow:
        task = _follow(ops, service, task)
    emit(task, lambda data: fields(data, title=WORDS["redrive_title"]))
    if task["status"] == "cancelled":
        raise OpsError(WORDS["cancelled"].format(id=task["id"], redriven=task["redriven"], total=task["total"]))


def _follow(ops: Ops, service: str, task: dict[str, Any]) -> dict[str, Any]:
    with Progress(WORDS["redrive_title"], BarColumn(), MofNCompleteColumn(), console=console,
                  disable=context().as_json) as bar:
        shown = bar.add_task(WORDS["redrive_title"], total=task["total"])
        while task["status"] == "running":
            time.sleep(0.5)
            task = as_json(ops.service(service).redrive(task["id"]))
            bar.update(shown, completed=task["done"])
    return task


@dead_letters.command("cancel")
@takes_totp
def cancel_redrive(service: Service, redrive_id: str, reason: Reason) -> None:
    """Stop a redrive before its next letter."""
    emit(as_json(_ops().service(service).cancel_redrive(redrive_id, body(ReasonIn, reason=reason))),
         lambda data: fields(data, title=WORDS["redrive_title"]))


@notifications.command("dashboard")
def dashboard() -> None:
    """Counts by status, failure reasons, enqueue success rate, quiet-hours violations (seed §6)."""
    emit(as_json(_ops().notifier.dashboard()), lambda data: fields(data, title=WORDS["notifications"]))


@notifications.command("pause")
@takes_totp
def pause_sending(reason: Reason, until: Annotated[str | None, typer.Option(help="ISO time with offset")] = None
                  ) -> None:
    """Stop sending (intake goes on)."""
    emit(as_json(_ops().notifier.pause_sending(body(SendingPauseIn, reason=reason, paused_until=until))), fields)


@notifications.command("resume")
@takes_totp
def resume_sending(reason: Reason) -> None:
    """Sending again (what waited goes out, quiet hours permitting)."""
    emit(as_json(_ops().notifier.resume_sending(body(ReasonIn, reason=reason))), fields)


@notifications.command("resend")
@takes_totp
def resend(reason: Reason,
           status: Annotated[list[str] | None, typer.Option(help="dead | cancelled (repeatable; default both)")] = None,
           template: Annotated[str | None, typer.Option()] = None,
           campaign: Annotated[str | None, typer.Option()] = None, run: Annotated[str | None, typer.Option()] = None,
           received_from: Annotated[str | None, typer.Option("--from", help="ISO time with offset")] = None,
           received_to: Annotated[str | None, typer.Option("--to", help="ISO time with offset")] = None) -> None:
    """Requeue a segment of failed notifications (never one already sent): show how many, confirm, requeue."""
    ops = _ops()
    prepared = ops.notifier.prepare_resend(body(
        ResendIn, reason=reason, statuses=status or None, template=template, campaign_id=campaign, run_id=run,
        received_from=received_from, received_to=received_to))
    if not context().as_json:
        fields(as_json(prepared), title=WORDS["will_resend"])
    confirm(WORDS["resend"])
    emit(as_json(ops.notifier.confirm_resend(TokenIn(token=prepared.token))), fields)


@waitlist.command("status")
def run_status(run_id: str) -> None:
    """Seats, offers by status and who waits, for one run."""
    emit(as_json(_ops().waitlist.run_status(run_id)),
         lambda data: fields(data, title=WORDS["run"].format(run_id=run_id)))


@waitlist.command("promote")
def promote(run_id: str) -> None:
    """A promotion pass now: expire overdue offers, offer free seats to the next in line."""
    emit(as_json(_ops().waitlist.promote(run_id)), lambda data: fields(data, title=WORDS["promotion"]))


@audit.command("verify")
def verify_audit(service: Service) -> None:
    """Check the service's audit chain against its anchors; exit 1 if it is broken."""
    result = as_json(_ops().service(service).verify_audit())
    emit(result, lambda data: fields(data, title=WORDS["audit_title"].format(service=service)))
    if not result.get("intact", False):
        raise OpsError(WORDS["audit_broken"].format(service=service, result=result))
