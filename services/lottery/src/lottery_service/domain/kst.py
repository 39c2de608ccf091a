"""KST, the time zone the draw seed and the operator's displays use."""

from datetime import datetime

from platform_shared.time.clock import KST


def kst_iso(instant: datetime) -> str:
    """ISO-8601 in KST to the second, e.g. 2026-12-01T20:00:00+09:00 (the seed's drawAt)."""
    if instant.tzinfo is None:
        raise ValueError("draw time must be timezone-aware")
    return instant.astimezone(KST).replace(microsecond=0).isoformat()


def kst_minute(instant: datetime) -> str:
    """For people: KST to the minute with the zone named, e.g. 2026-12-01 20:00 KST."""
    if instant.tzinfo is None:
        raise ValueError("draw time must be timezone-aware")
    return instant.astimezone(KST).strftime("%Y-%m-%d %H:%M KST")
