"""Small pieces the waitlist and notification pages share: whether the session may take an action (what the page
offers; the service still decides), and an instant typed into a form read as KST (seed: `timezone: Asia/Seoul`)."""

from datetime import datetime

from fastapi import Request

from console_service.entrypoints.http.guard import Console
from platform_shared.time.clock import KST


def may(request: Request, console: Console, method: str, path: str) -> bool:
    access = console.table.get((method, path))
    session = getattr(request.state, "session", None)
    return access is not None and session is not None and session.may(access)


def kst_input(value: str | None) -> datetime | None:
    """A `datetime-local` field's `2026-12-08T21:30` as that minute in KST; empty → None; ValueError if not a time."""
    if value is None or not value.strip():
        return None
    moment = datetime.fromisoformat(value.strip())
    return moment.replace(tzinfo=KST) if moment.tzinfo is None else moment
