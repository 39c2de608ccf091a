"""Releasing the quiet-hours backlog (SPEC §5), pure: when the held notifications' release slots no longer
fit the time and the policy in force, and must be handed out again from now (same order, same rate)."""

from datetime import datetime, timedelta

SLACK = timedelta(seconds=1)


def release_gap(rate_per_second: float) -> timedelta:
    """How far apart the backlog's release slots are: the policy's release rate, never a burst (runbook §6.2)."""
    return timedelta(seconds=1.0 / rate_per_second)


def first_free_slot(last_handed_out: datetime | None, release_from: datetime, gap: timedelta) -> datetime:
    """Where newly held notifications start: one gap after the last slot already handed out, so earlier
    arrivals keep their places, or at the release itself when nothing waits yet."""
    return last_handed_out + gap if last_handed_out is not None else release_from


def backlog_off_schedule(earliest_slot: datetime | None, now: datetime) -> bool:
    """Outside quiet hours the backlog's first slot should be about now. Long past: its slots passed while
    nobody sent (paused, or every sender down), and would all fall due at once, flooding the vendor. Still
    ahead: it waits for the end of a window the policy no longer has (quiet hours moved or shortened by a
    policy change), so it must go out now, as the policy in force says."""
    return earliest_slot is not None and not now - SLACK <= earliest_slot <= now + SLACK
