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


Reason = Annotated[str, typer.Option(help="Why (kept in the audit log)")]
consumers = typer.Typer(no_args_is_help=True, help="Pause and resume consumer groups on every replica.")
dead_letters = typer.Typer(no_args_is_help=True, help="Inspect, tag and redrive dead letters.")
notifications = typer.Typer(no_args_is_help=True,
                            help="The notifier: dashboard, pause and resume, resend; what was sent, the sending state.")
waitlist = typer.Typer(no_args_is_help=True, help="A run's seats and promotion.")
audit = typer.Typer(no_args_is_help=True, help="The audit chain of a service.")


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
         lambda data: console.print(f"tagged {data['tagged']}"))


@dead_letters.command("redrive")
@takes_totp
def redrive(service: Service, reason: Reason, letter_id: Annotated[list[int] | None, typer.Option("--id")] = None,
            topic: Topic = None, group: Group = None, exception_type: ExceptionType = None, cause: Cause = None,
            since: Since = None, until: Until = None,
            rate: Annotated[float, typer.Option(help="Letters per second", min=0.01, max=1000)] = 10.0,
            follow: Annotated[bool, typer.Option(help="Show progress until it ends")] = True) -> None:
    """Send the chosen letters back to their topics, oldest first, at a rate; follow its progress."""
    chosen = "the letters " + ", ".join(map(str, letter_id)) if letter_id else "every letter matching the filters"
    confirm(f"Redrive {chosen} of {service} at {rate}/s?")
    redriving = body(RedriveIn, ids=letter_id or None, rate_per_second=rate, reason=reason,
                     **_filters(topic, group, exception_type, cause, since, until))
    ops = _ops()
    task = as_json(ops.service(service).start_redrive(redriving))
    if follow:
        task = _follow(ops, service, task)
    emit(task, lambda data: fields(data, title="redrive"))
    if task["status"] == "cancelled":
        raise OpsError(f"redrive {task['id']} was cancelled after {task['redriven']} of {task['total']}")


def _follow(ops: Ops, service: str, task: dict[str, Any]) -> dict[str, Any]:
    with Progress("redrive", BarColumn(), MofNCompleteColumn(), console=console, disable=context().as_json) as bar:
        shown = bar.add_task("redrive", total=task["total"])
        while task["status"] == "running":
            time.sleep(0.5)
            task = as_json(ops.service(service).redrive(task["id"]))
            bar.update(shown, completed=task["done"])
    return task


@dead_letters.command("cancel")
@takes_totp
def cancel_redrive(service: Service, redrive_id: str, reason: Reason) -> None:
    emit(as_json(_ops().service(service).cancel_redrive(redrive_id, body(ReasonIn, reason=reason))),
         lambda data: fields(data, title="redrive"))


@notifications.command("dashboard")
def dashboard() -> None:
    """Counts by status, failure reasons, enqueue success rate, quiet-hours violations (seed §6)."""
    emit(as_json(_ops().notifier.dashboard()), lambda data: fields(data, title="notifications"))


@notifications.command("pause")
@takes_totp
def pause_sending(reason: Reason, until: Annotated[str | None, typer.Option(help="ISO time with offset")] = None
                  ) -> None:
    """Stop sending (intake goes on)."""
    emit(as_json(_ops().notifier.pause_sending(body(SendingPauseIn, reason=reason, paused_until=until))), fields)


@notifications.command("resume")
@takes_totp
def resume_sending(reason: Reason) -> None:
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
        fields(as_json(prepared), title="the resend that will happen")
    confirm("Requeue these notifications?")
    emit(as_json(ops.notifier.confirm_resend(TokenIn(token=prepared.token))), fields)


@waitlist.command("status")
def run_status(run_id: str) -> None:
    """Seats, offers by status and who waits, for one run."""
    emit(as_json(_ops().waitlist.run_status(run_id)), lambda data: fields(data, title=f"run {run_id}"))


@waitlist.command("promote")
def promote(run_id: str) -> None:
    """A promotion pass now: expire overdue offers, offer free seats to the next in line."""
    emit(as_json(_ops().waitlist.promote(run_id)), lambda data: fields(data, title="promotion pass"))


@audit.command("verify")
def verify_audit(service: Service) -> None:
    """Check the service's audit chain against its anchors; exit 1 if it is broken."""
    result = as_json(_ops().service(service).verify_audit())
    emit(result, lambda data: fields(data, title=f"audit chain of {service}"))
    if not result.get("intact", False):
        raise OpsError(f"the audit chain of {service} does not verify: {result}")
