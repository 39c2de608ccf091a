"""Every console request passes here before its route (the services' web/access.py does the same for their
APIs): the route's class from the console's one table (access.py), the reader's language, the session from its
sealed cookie, the role, the CSRF secret on every state-changing request, and the login still alive at the
policy service — so a logout or a 2FA reset ends the session on the very next request."""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
from fastapi import Depends, FastAPI, Request, params
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from console_service.adapters.services import OperatorServices
from console_service.adapters.session_cookie import COOKIE, SessionCookie
from console_service.application.signing_in import refreshed
from console_service.domain.session import ConsoleSession, same_secret
from console_service.entrypoints.http.rendering import use_locale
from console_service.settings import ConsoleSettings
from platform_shared.auth.access import Access
from platform_shared.client.errors import NotAuthenticated
from platform_shared.i18n import LOCALES, Locale, negotiate
from platform_shared.time.clock import Clock

LANGUAGE_COOKIE = "console_lang"
ANONYMOUS_CSRF_COOKIE = "console_csrf"
"""Before sign-in there is no session to hold the CSRF secret: the sign-in and language forms echo this
cookie's random value instead (double submit; the cookie is HttpOnly and SameSite=Strict)."""
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class SignInNeeded(Exception):
    """No session, an expired one, or a login the policy service has ended."""


class RoleRefused(Exception):
    def __init__(self, access: Access) -> None:
        super().__init__("not for this role")
        self.access = access


class CsrfRefused(Exception):
    """A state-changing request without the page's secret (or from another origin): nothing was done."""


@dataclass
class Console:
    """What the routes share: settings, clock, the cookie's seal."""

    settings: ConsoleSettings
    clock: Clock
    cookie: SessionCookie
    table: dict[tuple[str, str], Access]
    pool: httpx.Client = field(default_factory=lambda: httpx.Client(
        limits=httpx.Limits(max_connections=100), cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[]))))
    """One client for the process: the services' connections kept open between requests. It keeps no cookie (a
    cookie one operator's call received must never ride on another's)."""

    def services(self, request: Request, token: str | None = None) -> OperatorServices:
        """The services as the request's operator (or with no token at all, for signing in)."""
        session: ConsoleSession | None = getattr(request.state, "session", None)
        chosen = token if token is not None else (session.access_token if session else None)
        return OperatorServices(self.settings.service_urls(), chosen, request.state.locale,
                                self.settings.service_timeout_seconds, self.pool)

    def remember(self, request: Request, session: ConsoleSession | None) -> None:
        """The session to seal into the answer's cookie (None: the cookie is cleared), set by headers.py."""
        request.state.session = session
        request.state.sealed_session = self.cookie.seal(session) if session else ""


def route_of(request: Request) -> tuple[str, str]:
    route = request.scope.get("route")
    return request.method.upper(), str(getattr(route, "path_format", None) or getattr(route, "path", ""))


def language_of(request: Request) -> Locale:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    for locale in LOCALES:
        if chosen == locale:
            return locale
    return negotiate(request.headers.get("Accept-Language"))


def guard(console: Console) -> params.Depends:
    async def enforce(request: Request) -> None:
        access = console.table.get(route_of(request))
        if access is None:  # install_guard makes this unreachable; refuse rather than guess
            raise RoleRefused(Access("role"))
        request.state.locale = language_of(request)
        use_locale(request.state.locale)
        request.state.form = await _form(request)
        session = console.cookie.open(request.cookies.get(COOKIE))
        if session is not None and session.expired(console.clock.now(), _longest(console)):
            session = None
        request.state.session = session
        if access.kind == "public":
            _anonymous_csrf(request, session)
            return
        if session is None:
            raise SignInNeeded
        if not session.may(access):
            raise RoleRefused(access)
        request.state.csrf = session.csrf
        if request.method not in SAFE_METHODS:
            _check_csrf(request, session.csrf)
        await run_in_threadpool(_keep_alive, console, request, session)

    dependency: params.Depends = Depends(enforce)
    return dependency


def _keep_alive(console: Console, request: Request, session: ConsoleSession) -> None:
    """Ask the policy service whether this login still stands; an expired access token is renewed once."""
    try:
        console.services(request).policy.me()
        return
    except NotAuthenticated:
        renewed = refreshed(console.services(request, token="").policy, session)
    if renewed is None:
        console.remember(request, None)
        raise SignInNeeded
    console.remember(request, renewed)


def _anonymous_csrf(request: Request, session: ConsoleSession | None) -> None:
    if session is not None:
        request.state.csrf = session.csrf
    else:
        request.state.csrf = request.cookies.get(ANONYMOUS_CSRF_COOKIE) or secrets.token_urlsafe(32)
        request.state.anonymous_csrf = request.state.csrf
    if request.method not in SAFE_METHODS:
        _check_csrf(request, request.state.csrf)


def _check_csrf(request: Request, expected: str) -> None:
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise CsrfRefused
    given = request.headers.get("X-CSRF-Token") or _text(request.state.form.get("csrf"))
    if not same_secret(expected, given):
        raise CsrfRefused


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


async def _form(request: Request) -> FormData:
    if request.method in SAFE_METHODS:
        return FormData()
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return await request.form()
    return FormData()


def _longest(console: Console) -> timedelta:
    return timedelta(hours=console.settings.session_hours)


def install_guard(app: FastAPI, console: Console) -> None:
    """Refuse to build a console whose routes and table disagree: an unclassified route is a bug."""
    # The OpenAPI document lists every route the routers declare (the console serves no document itself).
    routes = {(method.upper(), path) for path, operations in app.openapi()["paths"].items() for method in operations}
    unclassified, unknown = sorted(routes - set(console.table)), sorted(set(console.table) - routes)
    if unclassified or unknown:
        raise RuntimeError(f"console access table out of date: unclassified routes {unclassified}, "
                           f"entries for no route {unknown}")

