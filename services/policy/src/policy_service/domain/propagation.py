"""Has every service taken the policy in force? (SPEC §6 "cache integrity", seed §8.3 "verify") Pure: from
each process's latest report, which run the current version, which lag behind, which went silent."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from platform_shared.contracts.events import ServiceStatus

SILENT_AFTER_REPORTS = 3
"""A process that missed this many reports in a row is flagged silent."""
FORGOTTEN_AFTER = timedelta(hours=1)
"""A process silent this long is gone (restarted under a new instance id, or scaled away): not shown. A report
stamped this far ahead of this process's clock is not shown either: its process's clock cannot be trusted (or it
lives in a drill at another hour), and a report from the future would otherwise count as live until that hour."""


@dataclass(frozen=True)
class InstanceState:
    service: str
    instance: str
    policy_version: int
    reported_at: datetime
    lagging: bool
    silent: bool


def propagation(reports: Iterable[ServiceStatus], current_version: int, now: datetime,
                report_interval: timedelta) -> list[InstanceState]:
    states = [InstanceState(service=r.service, instance=r.instance, policy_version=r.policy_version,
                            reported_at=r.occurred_at, lagging=r.policy_version < current_version,
                            silent=now - r.occurred_at > report_interval * SILENT_AFTER_REPORTS)
              for r in reports if abs(now - r.occurred_at) <= FORGOTTEN_AFTER]
    return sorted(states, key=lambda s: (s.service, s.instance))


def all_current(states: Iterable[InstanceState], services: Iterable[str]) -> bool:
    """Every service has a live process and no live process lags. A silent process (a replica stopped, or a
    process restarted under a new id) is a liveness matter, flagged in the view, not a stale cache."""
    live = [s for s in states if not s.silent]
    return {s.service for s in live} >= set(services) and not [s for s in live if s.lagging]


class LatestReports:
    """The newest report of each process, as read from the compacted topic (newest by its own time)."""

    def __init__(self) -> None:
        self._latest: dict[tuple[str, str], ServiceStatus] = {}

    def apply(self, report: ServiceStatus) -> None:
        key = (report.service, report.instance)
        known = self._latest.get(key)
        if known is None or report.occurred_at >= known.occurred_at:
            self._latest[key] = report

    def all(self) -> list[ServiceStatus]:
        return list(self._latest.values())
