"""What every answer of the console carries: a Content Security Policy with no inline script (htmx and the
console's own script are files from this origin), no framing, no referrer, no caching of pages that show
tokens' fruits, and the session cookie when the request changed it (plain ASGI: it reads what the guard and
the routes left in the request's state)."""

from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from console_service.adapters.session_cookie import COOKIE
from console_service.entrypoints.http.guard import ANONYMOUS_CSRF_COOKIE

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Not "no-referrer": under it Chromium sends `Origin: null` with the console's own form posts, which the
    # guard's Origin check must refuse. "same-origin" keeps every address off other sites' logs all the same.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def cookie_header(name: str, value: str, *, secure: bool, max_age: int | None = None) -> str:
    """HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure where it can be."""
    cookie: SimpleCookie = SimpleCookie()
    cookie[name] = value
    morsel = cookie[name]
    morsel["path"], morsel["httponly"], morsel["samesite"] = "/", True, "Strict"
    if secure:
        morsel["secure"] = True
    if max_age is not None:
        morsel["max-age"] = max_age
    return morsel.OutputString()


class ConsoleHeaders:
    def __init__(self, app: ASGIApp, secure_cookies: bool) -> None:
        self._app, self._secure = app, secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not scope["path"].startswith("/static/"):
                    headers.setdefault("Cache-Control", "no-store")
                for cookie in self._cookies(scope.get("state", {})):
                    headers.append("Set-Cookie", cookie)
            await send(message)

        await self._app(scope, receive, with_headers)

    def _cookies(self, state: dict[str, object]) -> list[str]:
        cookies = []
        sealed = state.get("sealed_session")
        if isinstance(sealed, str):
            cookies.append(cookie_header(COOKIE, sealed, secure=self._secure, max_age=None if sealed else 0))
        anonymous = state.get("anonymous_csrf")
        if isinstance(anonymous, str) and state.get("session") is None:
            cookies.append(cookie_header(ANONYMOUS_CSRF_COOKIE, anonymous, secure=self._secure))
        return cookies
