"""Releasing the quiet-hours backlog (SPEC §5), pure: when the held notifications' release slots no longer
fit the time and the policy in force, and must be handed out again from now (same order, same rate)."""

from datetime import datetime, timedelta

SLACK = timedelta(seconds=1)


def backlog_off_schedule(earliest_slot: datetime | None, now: datetime) -> bool:
    """Outside quiet hours the backlog's first slot should be about now. Long past: its slots passed while
    nobody sent (paused, or every sender down), and would all fall due at once, flooding the vendor. Still
    ahead: it waits for the end of a window the policy no longer has (quiet hours moved or shortened by a
    policy change), so it must go out now, as the policy in force says."""
    return earliest_slot is not None and not now - SLACK <= earliest_slot <= now + SLACK
