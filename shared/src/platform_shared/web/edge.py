"""Abuse limits on the public edge (SPEC §9): what anyone on the internet can reach — the
campaign pages, Kakao login, the entrants' routes, the offer links — is bounded in request size and in
requests per address and per logged-in entrant, with a clear 413 or 429 (Retry-After). Admin routes keep
a larger body limit (bulk imports); other public routes (health, admin login) keep the small body limit
and are not counted here (admin login has its own throttle).

The counters are in process memory (the `limits` library's sliding window counter: two counters per key,
O(1) per request whatever the rate; a moving window keeps one timestamp per request admitted and costs
O(rate) per hit), in its asyncio flavour: the thread flavour expires keys on a non-daemon timer thread that
can keep a stopping process alive: each replica bounds what it serves, so N replicas admit up to N times the rate. The
address is the TCP peer, never a header a client can type: `X-Forwarded-For` counts only from the proxies
named in `TRUSTED_PROXIES` (default none; service/serve.py)."""

import contextlib
import math
import re
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from limits import RateLimitItem, parse
from limits.aio import storage as aio_storage
from limits.aio import strategies as aio_strategies

from platform_shared.auth.access import Access
from platform_shared.errors import TooManyAttemptsError

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class EdgeLimits:
    """Requests per address and per entrant over a sliding window, e.g. "120/minute"."""

    def __init__(self, per_address: str, per_entrant: str) -> None:
        self._window = aio_strategies.SlidingWindowCounterRateLimiter(aio_storage.MemoryStorage())
        self._per_address: RateLimitItem = parse(per_address)
        self._per_entrant: RateLimitItem = parse(per_entrant)

    async def admit_address(self, address: str) -> None:
        await self._admit(self._per_address, "address", address, "this address")

    async def admit_entrant(self, kakao_user_id: int) -> None:
        await self._admit(self._per_entrant, "entrant", str(kakao_user_id), "your account")

    async def _admit(self, limit: RateLimitItem, kind: str, who: str, whom: str) -> None:
        if not await self._window.hit(limit, kind, who):
            reset = (await self._window.get_window_stats(limit, kind, who)).reset_time
            raise TooManyAttemptsError(f"too many requests from {whom} (at most {limit}); slow down",
                                       retry_after_seconds=max(1, math.ceil(reset - time.time())))


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """413 for a request body over the limit of its route: the edge's small one, or the admin one. Counted
    as it arrives (a missing or false Content-Length does not get past), before the route reads it; a chunked
    body is answered 413 the moment it passes the limit (the route's own "could not parse" 400 is dropped)."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], int]) -> None:
        self._app = app
        self._limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        limit = self._limit_for(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received, started, refused = 0, False, False

        async def counted() -> Message:
            nonlocal received, refused
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                if not started:
                    refused = True
                    await _too_large(limit)(scope, receive, send)
                raise BodyTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if refused:  # the 413 is the answer: whatever the route makes of the broken read is not
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(BodyTooLarge):
            await self._app(scope, counted, watched)


def _too_large(limit: int) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    return JSONResponse({"error": "RequestTooLarge", "message": f"the request body is over {limit} bytes"},
                        status_code=413)


def install_body_limit(app: FastAPI, table: Mapping[tuple[str, str], Access], *, edge_bytes: int,
                       admin_bytes: int, operator: Callable[[str], bool]) -> None:
    """Admin routes (role or sensitive) get `admin_bytes` when the request's bearer token is an operator's
    (`operator(token)`: verified, not revoked), every other request `edge_bytes`: identity before body, so
    an anonymous caller cannot make a process hold a bulk import's worth of memory before its 401. The
    route is found from the access table's own path templates: the same table that classifies it."""
    admin_routes = [(method, _template_pattern(path)) for (method, path), access in table.items()
                    if access.kind in ("role", "sensitive")]

    def limit_for(scope: Scope) -> int:
        method, path = scope["method"], scope["path"]
        if not any(method == m and pattern.fullmatch(path) for m, pattern in admin_routes):
            return edge_bytes
        scheme, _, token = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1").partition(" ")
        return admin_bytes if scheme.lower() == "bearer" and token and operator(token.strip()) else edge_bytes

    app.add_middleware(BodyLimit, limit_for=limit_for)


def _template_pattern(path: str) -> re.Pattern[str]:
    """/draws/{campaign_id}/entries → ^/draws/[^/]+/entries$ (a path parameter is one segment)."""
    return re.compile("".join("[^/]+" if part.startswith("{") else re.escape(part)
                              for part in re.split(r"(\{[^}]+\})", path)))
