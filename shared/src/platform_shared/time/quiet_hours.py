"""Quiet hours (SPEC §1, §5): nothing user-facing is delivered inside the window, 22:00–08:00
Asia/Seoul by default. Pure arithmetic on aware datetimes; the window may wrap past midnight."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from platform_shared.contracts.policy import QuietHours


def in_quiet_hours(instant: datetime, window: QuietHours) -> bool:
    local = instant.astimezone(ZoneInfo(window.time_zone)).time()
    if window.start == window.end:
        return False  # an empty window
    if window.start < window.end:
        return window.start <= local < window.end
    return local >= window.start or local < window.end


def next_deliverable(instant: datetime, window: QuietHours) -> datetime:
    """`instant` itself outside the window, else the window's end (the first deliverable moment)."""
    if not in_quiet_hours(instant, window):
        return instant
    zone = ZoneInfo(window.time_zone)
    local = instant.astimezone(zone)
    end = local.replace(hour=window.end.hour, minute=window.end.minute, second=window.end.second, microsecond=0)
    if end <= local:
        end += timedelta(days=1)
    # Rebuild from the wall-clock time so a DST change (not in KST, but in other zones) lands right.
    return datetime.combine(end.date(), window.end, tzinfo=zone).astimezone(instant.tzinfo)
