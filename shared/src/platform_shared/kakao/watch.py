"""What ops see of a Kakao outage (seed §9): whether the issuer answers, since when it has not, the last
outage's window, and failed logins by reason, in this process (`GET /auth/kakao/status`) and as Prometheus
metrics (`/metrics`): `kakao_issuer_up` and `kakao_login_failures_total{reason}`. The same, by time window
(`windows`), goes to the policy service, which adds up every replica's (seed §9.3)."""

import logging
from collections import Counter as Tally
from dataclasses import dataclass
from datetime import datetime, timedelta

from prometheus_client import Counter, Gauge

from platform_shared.kakao.windows import LoginWindows
from platform_shared.time.clock import Clock

LOGIN_FAILURES = Counter("kakao_login_failures", "Kakao logins and entrant tokens refused, and why: a bad token, "
                         "a refused or failed code exchange, or the issuer unavailable", ["reason"])
ISSUER_UP = Gauge("kakao_issuer_up", "1 if the Kakao issuer answered the last request this process made, else 0")
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutageWindow:
    began: datetime
    ended: datetime | None
    """None while the outage lasts."""


class IssuerWatch:
    def __init__(self, clock: Clock, window: timedelta = timedelta(minutes=1)) -> None:
        self._clock = clock
        self.windows = LoginWindows(window)
        self.up: bool | None = None
        """None until this process has asked the issuer anything."""
        self.outage_since: datetime | None = None
        self.last_outage: OutageWindow | None = None
        self.last_problem: str | None = None
        self.failures: Tally[str] = Tally()

    def issuer_answered(self) -> None:
        self.windows.issuer_answered(self._clock.now())
        if self.outage_since is not None:
            self.last_outage = OutageWindow(self.outage_since, self._clock.now())
            _log.warning("Kakao issuer answers again; it was unavailable from %s to %s", self.last_outage.began,
                         self.last_outage.ended)
            self.outage_since = None
        self.up = True
        ISSUER_UP.set(1)

    def issuer_failed(self, problem: str) -> None:
        """`problem`: which endpoint failed and how (never a token or a secret)."""
        self.windows.issuer_failed(self._clock.now())
        if self.outage_since is None:
            self.outage_since = self._clock.now()
            _log.warning("Kakao issuer unavailable (%s): entry answers 503 with the outage banner", problem)
        self.up, self.last_problem = False, problem
        ISSUER_UP.set(0)

    def login_failed(self, reason: str) -> None:
        """`reason`: a short fixed code (a metric label, so never free text)."""
        self.failures[reason] += 1
        self.windows.login_failed(self._clock.now(), reason)
        LOGIN_FAILURES.labels(reason=reason).inc()

    def current_outage(self) -> OutageWindow | None:
        return None if self.outage_since is None else OutageWindow(self.outage_since, None)
