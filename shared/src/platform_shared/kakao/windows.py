"""A replica's Kakao login failures in fixed time windows (seed §9.3): counted here as they happen, reported
through the outbox by `health_report.py`, summed across every replica by the policy service. Pure: the
instants come from the caller's clock.

Windows are aligned on multiples of their width since the Unix epoch; a width that divides an hour starts
each window on a whole minute in KST too (Asia/Seoul is a whole number of hours from UTC)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def window_start(at: datetime, width: timedelta) -> datetime:
    """The start of the window of `width` that holds `at`."""
    return _EPOCH + ((at - _EPOCH) // width) * width


@dataclass
class _Window:
    start: datetime
    end: datetime
    failures: Counter[str] = field(default_factory=Counter)
    issuer_down: bool = False
    issuer_up: bool | None = None
    recovered_at: datetime | None = None
    changes: int = 0
    reported_changes: int = 0
    reports: int = 0


@dataclass(frozen=True)
class WindowSnapshot:
    """A window as it stands, to report; `revision` counts the reports of this window, this one included."""

    start: datetime
    end: datetime
    revision: int
    failures: dict[str, int]
    issuer_down: bool
    issuer_up: bool | None
    recovered_at: datetime | None
    changes: int


class LoginWindows:
    def __init__(self, width: timedelta) -> None:
        if width <= timedelta(0):
            raise ValueError("a window has a positive width")
        self.width = width
        self._windows: dict[datetime, _Window] = {}
        self._issuer_up: bool | None = None

    def login_failed(self, at: datetime, reason: str) -> None:
        window = self._at(at)
        window.failures[reason] += 1
        window.changes += 1

    def issuer_failed(self, at: datetime) -> None:
        window = self._at(at)
        if self._issuer_up is not False or not window.issuer_down:
            window.changes += 1
        window.issuer_down, window.issuer_up, self._issuer_up = True, False, False

    def issuer_answered(self, at: datetime) -> None:
        """Only a change of state is news: the issuer answering as it did before is not reported again, and
        neither is a process's first answer (nothing was down: a replica starting writes nothing to its outbox)."""
        if self._issuer_up is not False:
            self._issuer_up = True
            return
        window = self._at(at)
        window.recovered_at = at  # the last recovery in the window: it may have failed again in between
        window.issuer_up, self._issuer_up = True, True
        window.changes += 1

    def pending(self) -> list[WindowSnapshot]:
        """Every window changed since it was last reported, oldest first."""
        return [WindowSnapshot(w.start, w.end, w.reports + 1, dict(w.failures), w.issuer_down, w.issuer_up,
                               w.recovered_at, w.changes)
                for w in sorted(self._windows.values(), key=lambda w: w.start) if w.changes > w.reported_changes]

    def reported(self, snapshots: list[WindowSnapshot], now: datetime) -> None:
        """`snapshots` are in the outbox. A window that changed meanwhile is reported again at the next round;
        a past window with nothing left to report is forgotten."""
        for snapshot in snapshots:
            window = self._windows.get(snapshot.start)
            if window is not None:
                window.reported_changes, window.reports = snapshot.changes, snapshot.revision
        for start, window in list(self._windows.items()):
            if window.end <= now and window.changes == window.reported_changes:
                del self._windows[start]

    def _at(self, at: datetime) -> _Window:
        start = window_start(at, self.width)
        window = self._windows.get(start)
        if window is None:
            window = self._windows[start] = _Window(start, start + self.width, issuer_up=self._issuer_up)
        return window
