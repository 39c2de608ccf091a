"""The messaging vendor's state as the notifier's probes see it (runbook §6.3 "발송 벤더 상태 점검"), pure: up or
down, since when, and the last problem — kept after recovery, so an operator arriving later still reads why."""

from dataclasses import dataclass, replace
from datetime import datetime


@dataclass(frozen=True)
class VendorStatus:
    up: bool | None = None
    """None until the first probe has answered."""
    since: datetime | None = None
    checked_at: datetime | None = None
    last_problem: str | None = None
    probe_failures: int = 0


def after_probe(status: VendorStatus, problem: str | None, now: datetime) -> VendorStatus:
    """The state after a probe at `now` that found `problem` (None: the vendor answered healthy). `since` moves
    only when the state changes."""
    up = problem is None
    since = status.since if status.up is up else now
    if up:
        return replace(status, up=True, since=since, checked_at=now)
    return replace(status, up=False, since=since, checked_at=now, last_problem=problem,
                   probe_failures=status.probe_failures + 1)
