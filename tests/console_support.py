"""The console as the tests reach it without a browser (the browser tests are in tests/browser): fresh operator
accounts of any role (codes are good once, so the console's tests never share an account with the fleet's own
operators), and an HTTP client that keeps the console's cookies as a browser does — Secure cookies included,
which a browser takes from http://127.0.0.1 and httpx's cookie jar does not."""

import re
import secrets
from dataclasses import replace
from datetime import timedelta
from http.cookies import SimpleCookie
from typing import Any

import httpx
import jwt

from console_service.adapters.session_cookie import COOKIE, SessionCookie
from platform_deploy.operators import Operator, create_account
from platform_deploy.services import Fleet
from platform_shared.auth.tokens import TokenSigner

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


def console_account(fleet: Fleet, role: str, name: str | None = None) -> Operator:
    """A new account of `role`, enrolled as `policy-admin create` does; `.totp()` gives its next unused code."""
    credentials = create_account(fleet["policy"].base_env, name or f"console-{role}-{secrets.token_hex(3)}", role)
    return Operator(fleet["policy"].base_url, credentials, fleet.clock)


class ConsoleClient:
    def __init__(self, fleet: Fleet) -> None:
        self.http = httpx.Client(base_url=fleet.console.base_url, timeout=60, follow_redirects=False)
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[str] = []
        self.csrf = ""

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**kwargs.pop("headers", {}), "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        response = self.http.request(method, path, headers=headers, **kwargs)
        for header in response.headers.get_list("set-cookie"):
            self.set_cookies.append(header)
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if found := CSRF_META.search(response.text):
            self.csrf = found.group(1)
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, with_csrf: bool = True,
             **kwargs: Any) -> httpx.Response:
        form = {**(data or {}), **({"csrf": self.csrf} if with_csrf else {})}
        return self.request("POST", path, data=form, **kwargs)

    def sign_in(self, operator: Operator) -> httpx.Response:
        self.get("/signin")
        return self.post("/signin", {"account": operator.name, "password": operator.credentials.password,
                                     "code": operator.totp()})

    def cookie_flags(self, name: str) -> str:
        """The last Set-Cookie header that set `name`."""
        return next(header for header in reversed(self.set_cookies) if header.startswith(f"{name}="))


def stale_session_cookie(fleet: Fleet, operator: Operator, sealed: str) -> dict[str, Any]:
    """The console session `sealed` (the browser's `console_session` cookie), its second factor made six minutes
    old: the same login (its id, refresh token and CSRF secret), an access token minted as the policy service
    would with `auth_time` past the five-minute step-up window (tests/test_identity.py mints them so). A
    sensitive action then makes the service ask for a fresh code. Returned as Playwright's `add_cookies` takes it."""
    cookie = SessionCookie(fleet.console_session_key)
    session = cookie.open(sealed)
    assert session is not None and session.account == operator.name, "a live console session of this operator"
    claims = jwt.decode(session.access_token, options={"verify_signature": False})
    stale = TokenSigner(fleet.signing_key, fleet.clock).access_token(
        account=operator.name, role=session.role.value, amr=("pwd", "otp"),
        auth_time=fleet.clock.now() - timedelta(minutes=6), session_id=claims["sid"])
    return {"name": COOKIE, "value": cookie.seal(replace(session, access_token=stale)),
            "url": fleet.console.base_url, "httpOnly": True, "secure": True, "sameSite": "Strict"}
