"""The channel adapter: an HTTP messaging vendor's batch API, called with httpx, a timeout and one
idempotency key per message (the vendor delivers each key once, however often we retry)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from notifier_service.domain.delivery import AttemptResult, Verdict, classify
from platform_shared.time.clock import Clock, SystemClock


@dataclass(frozen=True)
class OutgoingMessage:
    dedupe_key: str
    user_id: str
    template: str
    text: str


class HttpVendor:
    def __init__(self, base_url: str, timeout_seconds: float, clock: Clock | None = None) -> None:
        """`clock`: what a Retry-After given as a date is measured from (the process clock)."""
        self._clock = clock or SystemClock()
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout_seconds,
                                         limits=httpx.Limits(max_connections=32, max_keepalive_connections=32))

    async def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[AttemptResult]:
        """One result per message, in order. A call that fails as a whole fails every message alike."""
        body = {"messages": [{"idempotency_key": m.dedupe_key, "to": m.user_id, "template": m.template,
                              "text": m.text} for m in messages]}
        try:
            response = await self._client.post("/v1/messages/batch", json=body)
        except httpx.TimeoutException:
            return [AttemptResult(Verdict.TRANSIENT, "vendor timeout")] * len(messages)
        except httpx.TransportError as error:
            return [AttemptResult(Verdict.TRANSIENT, f"vendor unreachable: {type(error).__name__}")] * len(messages)
        if response.is_error:
            return [classify(response.status_code, response.headers.get("Retry-After"), self._measured_from(response))
                    ] * len(messages)
        by_key: dict[str, Any] = {r["idempotency_key"]: r for r in response.json()["results"]}
        now = self._clock.now()
        return [_result(by_key.get(m.dedupe_key), now) for m in messages]

    async def status(self) -> str | None:
        """The vendor's own health (`GET /v1/status`): None when it answers 2xx, else what went wrong."""
        try:
            response = await self._client.get("/v1/status")
        except httpx.TimeoutException:
            return "status check timed out"
        except httpx.TransportError as error:
            return f"vendor unreachable: {type(error).__name__}"
        return None if response.is_success else f"status check answered {response.status_code}"

    def _measured_from(self, response: httpx.Response) -> datetime:
        """What a Retry-After date counts from: the vendor's own `Date` (its clock against its clock, whatever
        the skew between us), else this process's clock."""
        try:
            return parsedate_to_datetime(response.headers["Date"])
        except (KeyError, TypeError, ValueError):
            return self._clock.now()

    async def close(self) -> None:
        await self._client.aclose()


def _result(entry: dict[str, Any] | None, now: datetime) -> AttemptResult:
    if entry is None:
        return AttemptResult(Verdict.TRANSIENT, "vendor gave no result for this message")
    retry_after = entry.get("retry_after")
    return classify(int(entry["status"]), None if retry_after is None else str(retry_after), now)
