"""The channel adapter: one HTTP messaging vendor, called with httpx, timeouts and an idempotency key."""

import httpx

from notifier_service.domain.delivery import AttemptResult, Verdict, classify


class HttpVendor:
    def __init__(self, base_url: str, timeout_seconds: float) -> None:
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout_seconds,
                                         limits=httpx.Limits(max_connections=256, max_keepalive_connections=64))

    async def send(self, dedupe_key: str, user_id: str, template: str, text: str) -> AttemptResult:
        try:
            response = await self._client.post(
                "/v1/messages", json={"to": user_id, "template": template, "text": text},
                # The vendor delivers one message per key, however often we retry after a crash.
                headers={"Idempotency-Key": dedupe_key})
        except httpx.TimeoutException:
            return AttemptResult(Verdict.TRANSIENT, "vendor timeout")
        except httpx.TransportError as error:
            return AttemptResult(Verdict.TRANSIENT, f"vendor unreachable: {type(error).__name__}")
        return classify(response.status_code, response.headers.get("Retry-After"))

    async def close(self) -> None:
        await self._client.aclose()
