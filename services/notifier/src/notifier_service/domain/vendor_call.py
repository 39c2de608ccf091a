"""When a vendor call may start and how long it may run (SPEC §5). Pure.

Quiet hours: a call is the moment of sending, so nothing may be in flight inside the window. A call starts
only if neither its start nor its latest possible end (start + the whole-call timeout) falls inside it: at
21:59:55 with a 10 s timeout nothing starts, and the round holds its notifications for the morning.

The claim's lease: a call must end, and its outcome be recorded, before the lease runs out, or another
replica takes the notifications over and sends them again. So the whole call (connect, send, wait, read) is
cut at the earlier of its timeout and the lease's end less a margin for recording."""

from datetime import datetime, timedelta

from platform_shared.contracts.policy import QuietHours
from platform_shared.time.quiet_hours import in_quiet_hours, next_deliverable

RECORDING_MARGIN = timedelta(seconds=1)
"""Left of a claim's lease after its call, for recording the outcome."""
MIN_CALL = timedelta(seconds=1)


def first_call_start(now: datetime, timeout: timedelta, window: QuietHours) -> datetime:
    """`now` if a call started now would end before quiet hours, else the end of the window it would touch."""
    if in_quiet_hours(now, window):
        return next_deliverable(now, window)
    if in_quiet_hours(now + timeout, window):
        return next_deliverable(now + timeout, window)
    return now


def call_budget(started: datetime, timeout: timedelta, lease_until: datetime) -> timedelta:
    """How long a call started at `started` may run: its timeout, cut to end `RECORDING_MARGIN` before the
    claim's lease does; zero when the lease leaves less than a second (or the whole timeout, if shorter): a
    call sure to be cut would only spend one of the notification's attempts."""
    budget = min(timeout, lease_until - RECORDING_MARGIN - started)
    return budget if budget >= min(timeout, MIN_CALL) else timedelta(0)
