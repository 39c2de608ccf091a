"""The vendor's status round (runbook §6.3: 대량 실패 처리 starts with 발송 벤더 상태 점검): every few seconds the
notifier asks the vendor how it is (adapters/vendor.py `status`), keeps up/down, since when and the last problem
(domain/vendor_status.py), and shows it: `notifier_vendor_up`, `notifier_vendor_probe_failures_total`, the
dashboard's `vendor` block, `lottery-ops notifications status` and the console. Each replica probes for itself:
the state is what this process sees, as its sends do."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any

from notifier_service.domain.vendor_status import VendorStatus, after_probe
from notifier_service.metrics import VENDOR_PROBE_FAILURES, VENDOR_UP
from platform_shared.rounds import run_rounds
from platform_shared.time.clock import Clock

log = logging.getLogger(__name__)


class VendorWatch:
    def __init__(self, probe: Callable[[], Awaitable[str | None]], clock: Clock, interval_seconds: float) -> None:
        """`probe`: None when the vendor answers healthy, else what went wrong."""
        self._probe, self._clock, self._interval = probe, clock, interval_seconds
        self._status = VendorStatus()

    @property
    def status(self) -> VendorStatus:
        return self._status

    def as_dict(self) -> dict[str, Any]:
        return asdict(self._status)

    async def probe_once(self) -> bool:
        problem = await self._probe()
        was_up = self._status.up
        self._status = after_probe(self._status, problem, self._clock.now())
        VENDOR_UP.set(1 if self._status.up else 0)
        if problem is not None:
            VENDOR_PROBE_FAILURES.inc()
        if was_up is not self._status.up:
            log.log(logging.INFO if self._status.up else logging.WARNING, "messaging vendor is %s%s",
                    "up" if self._status.up else "down", "" if problem is None else f": {problem}")
        return False  # never busy: one probe per interval

    async def run_forever(self) -> None:
        await run_rounds(self.probe_once, lambda: asyncio.sleep(self._interval), what="vendor probe")
