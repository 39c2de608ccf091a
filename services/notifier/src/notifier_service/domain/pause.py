"""The sender's pause (runbook §6.3), pure: sending may be paused until further notice or until a time
given in advance; a time already past would be no pause at all, and once it passes the pause is over
for every replica."""

from datetime import datetime

from platform_shared.errors import DomainError


def pause_has_lapsed(paused_until: datetime | None, now: datetime) -> bool:
    return paused_until is not None and paused_until <= now


def refuse_lapsed_pause(paused_until: datetime | None, now: datetime) -> None:
    if pause_has_lapsed(paused_until, now):
        raise DomainError("paused_until must be in the future", field="paused_until")
