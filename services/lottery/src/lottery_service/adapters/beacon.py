"""The drand HTTP client a draw fetches its committed round with (docs/draw-algorithm.md §8.4): `GET
{url}/{chain_hash}/public/{round}`, the answer verified before anything uses it. A round not due yet is
pending; a beacon that does not answer usably is unavailable, and the draw waits: there is no fallback
(seed §3.3 본 실행). Every request's outcome goes to `observe` (the service's metrics: lottery_service/metrics.py
`observe_beacon`, which the alerts of deploy/prometheus read)."""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from lottery_service.domain.beacon import (
    BeaconChain,
    BeaconInvalid,
    BeaconRound,
    BeaconRoundPending,
    BeaconUnavailable,
    verify_round,
)
from platform_shared.time.clock import Clock

_log = logging.getLogger(__name__)
NOT_YET = frozenset({404, 425})
"""What drand's relays answer for a round they do not have yet: 425 Too Early (404 on older relays)."""
MAX_POLL_SECONDS = 0.25
Outcome = Literal["answered", "unreachable", "invalid"]


@dataclass(frozen=True)
class BeaconStatus:
    """What this process last saw of the beacon (for a status page): None before its first request."""

    reachable: bool | None
    last_problem: str | None
    last_round: int | None


class BeaconClient:
    def __init__(self, chain: BeaconChain, clock: Clock, timeout: float = 5.0,
                 observe: Callable[[Outcome], None] = lambda _: None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        """`timeout`: one request, whole (connect, send, read); `observe`: told each request's outcome;
        `transport`: httpx's, for a test's in-process beacon (the default is the network)."""
        self.chain, self._clock, self._timeout, self._transport = chain, clock, timeout, transport
        self._observe = observe
        self.host = urlsplit(chain.url).netloc.rpartition("@")[2]
        """The beacon's host and port, as errors and logs name it (never a credential in the URL)."""
        self.status = BeaconStatus(None, None, None)

    async def fetch(self, round: int) -> BeaconRound:
        """Round `round`, verified. `BeaconRoundPending` when it is not due by this service's clock (the beacon
        is not asked) or the beacon says it is too early within a period of its time; `BeaconUnavailable` when
        it cannot be had; `BeaconInvalid` when the answer does not verify."""
        due_at = self.chain.round_time(round)
        if self._clock.now() < due_at:
            raise BeaconRoundPending(round, due_at)
        try:
            body = await self._get(round, due_at)
            answered = _beacon_fields(body)
            if answered is None:
                raise self._unavailable(round, "the answer is not a drand beacon")
            if answered[0] != round:
                raise BeaconInvalid(round, f"the beacon answered round {answered[0]} instead")
            verified = verify_round(self.chain, round, answered[1], answered[2])
        except BeaconInvalid as invalid:
            self._observe("invalid")
            self.status = BeaconStatus(True, invalid.message, round)
            _log.error("beacon %s: %s", self.host, invalid.message)
            raise
        self._observe("answered")
        self.status = BeaconStatus(True, None, round)
        return verified

    async def wait_for(self, round: int, max_wait: float) -> BeaconRound:
        """Round `round`, waiting for it when it is due within `max_wait` seconds: asleep until it is due, then
        asking every quarter period (at most every 0.25 s) while the beacon says it is too early, which `fetch`
        accepts for one period after the round's time. So it returns within `max_wait` + one period (+ a
        request's timeout). `BeaconRoundPending` at once when the round is due later; an unavailable beacon or
        an invalid answer is not retried."""
        due_at = self.chain.round_time(round)
        if (due_at - self._clock.now()).total_seconds() > max_wait:
            raise BeaconRoundPending(round, due_at)
        # A bound of its own too, in case the clock is moved back while waiting (a drill).
        deadline = time.monotonic() + max_wait + 2 * self.chain.period + self._timeout
        await asyncio.sleep(max(0.0, (due_at - self._clock.now()).total_seconds()))
        interval = min(MAX_POLL_SECONDS, self.chain.period / 4)
        while True:
            try:
                return await self.fetch(round)
            except BeaconRoundPending:
                if time.monotonic() + interval > deadline:
                    raise
            await asyncio.sleep(interval)

    async def _get(self, round: int, due_at: datetime) -> Any:
        url = f"{self.chain.url}/{self.chain.chain_hash}/public/{round}"
        try:
            async with httpx.AsyncClient(timeout=self._timeout, transport=self._transport) as client:
                response = await client.get(url, headers={"Accept": "application/json"})
        except httpx.TimeoutException:
            raise self._unavailable(round, f"no answer within {self._timeout:g} s") from None
        except httpx.HTTPError as error:
            raise self._unavailable(round, f"cannot connect: {type(error).__name__}") from None
        if response.status_code in NOT_YET:
            # A relay a little behind (or whose clock is) within one period is still publishing; long after the
            # round's time, a beacon without it is stalled.
            if self._clock.now() < due_at + timedelta(seconds=self.chain.period):
                self._observe("answered")
                raise BeaconRoundPending(round, due_at)
            raise self._unavailable(round, f"HTTP {response.status_code} for a round due at "
                                           f"{due_at.isoformat()}: the beacon is not publishing")
        if response.status_code != 200:
            raise self._unavailable(round, f"HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError:
            raise self._unavailable(round, "the answer is not JSON") from None

    def _unavailable(self, round: int, reason: str) -> BeaconUnavailable:
        self._observe("unreachable")
        error = BeaconUnavailable(self.host, round, reason)
        self.status = BeaconStatus(False, error.message, round)
        _log.warning("beacon %s: %s", self.host, error.message)
        return error


def _beacon_fields(body: Any) -> tuple[int, str, str] | None:
    """(round, signature, randomness) from a drand answer, or None when it is not one."""
    if not isinstance(body, dict):
        return None
    round, signature, randomness = body.get("round"), body.get("signature"), body.get("randomness")
    if isinstance(round, bool) or not isinstance(round, int) or not isinstance(signature, str) \
            or not isinstance(randomness, str):
        return None
    return round, signature, randomness
