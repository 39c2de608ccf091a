"""`lottery-ops notifications list | status`: what was sent to whom and what it said (per run, per template),
and the sending state (paused or not, the queue's counts) shown without changing anything (seed §6)."""

from collections import Counter
from typing import Annotated, Any

import typer

from platform_deploy.ops.client import Ops
from platform_deploy.ops.levers import notifications
from platform_deploy.ops.output import console, context, emit, fields, table
from platform_shared.client.endpoint import as_json

# The words people read here, in one place (to be localised).
WORDS = {
    "paused": "sending: PAUSED since {changed_at} by {changed_by}{until} — {reason}",
    "until": " until {paused_until}",
    "running": "sending: running",
    "by_template": "{count} notification(s): {summary}",
    "none": "no notifications",
}
TEMPLATES = "WINNER_OFFER | WAITLIST_PROMOTION | DRAW_ROLLBACK_NOTICE | INCIDENT_NOTICE"


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


def sending_line(state: dict[str, Any]) -> str:
    """The sender's state in one line, the first thing an operator reads."""
    if not state["paused"]:
        return WORDS["running"]
    until = WORDS["until"].format(paused_until=state["paused_until"]) if state.get("paused_until") else ""
    return WORDS["paused"].format(changed_at=state["changed_at"], changed_by=state["changed_by"], until=until,
                                  reason=state["reason"])


@notifications.command("status")
def sending_status() -> None:
    """Whether sending is paused (since when, by whom, why, until when) and the queue by status; changes
    nothing."""
    ops = _ops()
    state = {"sending": as_json(ops.notifier.sending()), "counts": as_json(ops.notifier.dashboard())["counts"]}

    def show(data: dict[str, Any]) -> None:
        console.print(sending_line(data["sending"]))
        fields(data["counts"], title="queue")

    emit(state, show)
