"""Every route classified, in one table per service (`<service>/access.py`), enforced before the route
runs (SPEC §7). The table maps (method, path template) to an `Access`; `install_access` refuses to build an
app with a route the table does not name, or a table entry naming no route. Identity comes only from a
verified bearer token (`Authorization: Bearer …`), never from a header a caller can type: an admin access
token on admin routes, a Kakao ID token on entrant routes (neither is accepted for the other)."""

import re
from collections.abc import Callable, Mapping
from typing import Annotated
from uuid import uuid4

from fastapi import Depends, FastAPI, Request, params
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from platform_shared.audit.context import begin_request, identify_caller
from platform_shared.auth.access import (
    EDGE,
    ENTRANT,
    EVERYONE,
    OPERATORS,
    PUBLIC,
    Access,
    Role,
    authorize,
    role,
    sensitive,
)
from platform_shared.auth.entrants import Entrant
from platform_shared.auth.kakao import KakaoNotConfiguredError
from platform_shared.auth.revocations import Revocations
from platform_shared.auth.tokens import Principal, TokenVerifier
from platform_shared.errors import ForbiddenError, UnauthenticatedError
from platform_shared.kakao.login import KakaoLogin
from platform_shared.time.clock import Clock
from platform_shared.web.edge import EdgeLimits

Route = tuple[str, str]
"""(HTTP method, path template as in the OpenAPI document)"""
AccessTable = Mapping[Route, Access]

DOCUMENT_ROUTES: AccessTable = {
    ("GET", "/openapi.json"): PUBLIC, ("GET", "/docs"): PUBLIC, ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
}
"""FastAPI's own pages: they describe the API, they do not act."""


def shared_routes() -> AccessTable:
    """The routes every service gets from platform_shared.web, classified once."""
    return {
        **DOCUMENT_ROUTES,
        ("GET", "/health"): PUBLIC,
        ("GET", "/metrics"): PUBLIC,
        ("GET", "/asyncapi.json"): PUBLIC,
        ("GET", "/audit"): role(Role.ADMIN, Role.PM, Role.DATA),
        ("GET", "/audit/verify"): role(Role.ADMIN, Role.PM, Role.DATA),
        ("GET", "/dead-letters"): role(*OPERATORS, Role.DATA),
        ("GET", "/dead-letters/{letter_id}"): role(*OPERATORS, Role.DATA),
        ("POST", "/dead-letters/tags"): sensitive(*OPERATORS),
        ("GET", "/dead-letters/redrives"): role(*OPERATORS, Role.DATA),
        ("GET", "/dead-letters/redrives/{redrive_id}"): role(*OPERATORS, Role.DATA),
        ("POST", "/dead-letters/redrives"): sensitive(*OPERATORS),
        ("POST", "/dead-letters/redrives/{redrive_id}/cancel"): sensitive(*OPERATORS),
        ("GET", "/consumers"): role(*OPERATORS, Role.DATA),
        ("POST", "/consumers/pause"): sensitive(*OPERATORS),
        ("POST", "/consumers/resume"): sensitive(*OPERATORS),
    }


_bearer = HTTPBearer(auto_error=False, description="An admin access token from the policy service (POST /auth/login); "
                     "on entrant routes, a Kakao ID token (POST /auth/kakao/login).")


def access_dependency(table: AccessTable, verifier: TokenVerifier, revocations: Revocations,
                      clock: Clock, kakao: KakaoLogin | None = None,
                      edge: EdgeLimits | None = None) -> params.Depends:
    """The app-wide dependency: classify the matched route, check the caller against it, and leave the
    verified caller on `request.state.caller` for the route (None on public routes), or on entrant routes
    the verified entrant on `request.state.entrant`."""

    async def enforce(request: Request,
                      credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
        route = _route_of(request)
        access = table.get(route)
        if access is None:  # install_access makes this unreachable; refuse rather than guess
            raise ForbiddenError(f"route {route[0]} {route[1]} is not classified; refused")
        if access.edge and edge is not None:
            await edge.admit_address(request.client.host if request.client else "unknown")
        if access.kind == "entrant":
            request.state.caller = None
            request.state.entrant = entrant = await _verified_entrant(kakao, credentials)
            if edge is not None:
                await edge.admit_entrant(entrant.kakao_user_id)
            return
        caller = None
        if access.kind != "public" and credentials is not None:
            caller = verifier.verify(credentials.credentials)
            if revocations.revoked(caller):
                raise UnauthenticatedError("this login has ended (a logout, or a 2FA reset); log in again")
        authorize(access, caller, clock.now(), action=f"{route[0]} {route[1]}")
        request.state.caller = caller
        if caller is not None:
            identify_caller(caller.account, caller.role)

    dependency: params.Depends = Depends(enforce)
    return dependency


def operator_check(verifier: TokenVerifier, revocations: Revocations) -> Callable[[str], bool]:
    """Whether a bearer token is a valid, unrevoked admin access token: what the edge asks before it lets
    a request body grow to the admin limit (web/edge.py). The route's own check still runs in full."""

    def is_operator(token: str) -> bool:
        try:
            return not revocations.revoked(verifier.verify(token))
        except UnauthenticatedError:
            return False

    return is_operator


async def _verified_entrant(kakao: KakaoLogin | None, credentials: HTTPAuthorizationCredentials | None) -> Entrant:
    """An admin token here is refused like any other non-Kakao token (401): it is not RS256 from the issuer."""
    if kakao is None:
        raise KakaoNotConfiguredError("Kakao login is not configured")
    if credentials is None:
        raise UnauthenticatedError("this route needs a Kakao login: POST /auth/kakao/login, then send the ID "
                                   "token as 'Authorization: Bearer <token>'")
    return await kakao.entrant(credentials.credentials)


def install_access(app: FastAPI, table: AccessTable) -> None:
    """Refuse to build an app whose routes and table disagree: an unclassified route is a bug."""
    documented = {(method.upper(), path) for path, operations in app.openapi()["paths"].items()
                  for method in operations}
    routes = documented | set(DOCUMENT_ROUTES)
    unclassified, unknown = sorted(routes - set(table)), sorted(set(table) - routes)
    if unclassified or unknown:
        raise RuntimeError(f"access table out of date: unclassified routes {unclassified}, "
                           f"entries for no route {unknown}")
    app.state.access_table = dict(table)


REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def install_request_ids(app: FastAPI) -> None:
    """Every request gets an id (the caller's `X-Request-Id` if well formed, else a new one), answered in
    the same header and written into any audit record the request makes."""
    app.add_middleware(RequestIds)


class RequestIds:
    """Plain ASGI rather than `@app.middleware("http")`: that one runs the app in a task of its own behind
    memory streams, which cost more than the rest of an entrant's request (measured: docs/benchmarks.md)."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        given = Headers(scope=scope).get("X-Request-Id", "")
        identifier = given if REQUEST_ID.match(given) else uuid4().hex
        begin_request(identifier)

        async def answered(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-Id"] = identifier
            await send(message)

        await self._app(scope, receive, answered)


def _route_of(request: Request) -> Route:
    route = request.scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", request.url.path)
    return request.method.upper(), str(path)


# The dependencies below are `async def` although they never wait: FastAPI runs a plain `def` dependency in
# its thread pool, a thread hop per request (4 % of an entrant's entry, docs/benchmarks.md).


def _verified_caller(request: Request) -> Principal:
    caller: Principal | None = getattr(request.state, "caller", None)
    if caller is None:
        raise UnauthenticatedError("this route needs an authenticated caller")
    return caller


async def _caller(request: Request) -> Principal:
    return _verified_caller(request)


Caller = Annotated[Principal, Depends(_caller)]
"""The verified caller of a non-public route."""


async def _account(request: Request) -> str:
    return _verified_caller(request).account


AdminId = Annotated[str, Depends(_account)]
"""The calling account's name, as the audit log records it (taken from the verified token)."""


async def _entrant(request: Request) -> int:
    entrant: Entrant | None = getattr(request.state, "entrant", None)
    if entrant is None:
        raise UnauthenticatedError("this route needs a Kakao login (a Kakao ID token as 'Authorization: Bearer …')")
    return entrant.kakao_user_id


EntrantId = Annotated[int, Depends(_entrant)]
"""The calling entrant's kakaoUserId, from their verified Kakao ID token (never from the request body)."""

__all__ = ["EDGE", "ENTRANT", "EVERYONE", "OPERATORS", "PUBLIC", "AccessTable", "AdminId", "Caller", "EntrantId",
           "Role", "role", "sensitive"]
