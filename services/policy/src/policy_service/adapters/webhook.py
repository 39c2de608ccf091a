"""The `#ops-incident` incoming webhook (seed §1): one POST of Slack-compatible JSON, with a short timeout. The
URL is configuration (it is a credential in Slack: it never reaches a log, an error or an event)."""

from typing import Any

import httpx


class WebhookError(Exception):
    """The post did not land: the words say why, without the URL."""


class Webhook:
    def __init__(self, url: str, timeout_seconds: float) -> None:
        self._url = url
        self._client = httpx.AsyncClient(timeout=timeout_seconds)

    async def post(self, body: dict[str, Any]) -> None:
        try:
            response = await self._client.post(self._url, json=body)
        except httpx.TimeoutException as error:
            raise WebhookError(f"no answer in time ({type(error).__name__})") from None
        except httpx.HTTPError as error:
            raise WebhookError(f"not reachable ({type(error).__name__})") from None
        if response.status_code >= 300:
            raise WebhookError(f"answered {response.status_code}: {response.text[:200]}")

    async def close(self) -> None:
        await self._client.aclose()
