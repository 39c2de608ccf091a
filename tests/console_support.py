"""The console as the tests reach it without a browser (the browser tests are in tests/browser): fresh operator
accounts of any role (codes are good once, so the console's tests never share an account with the fleet's own
operators), and an HTTP client that keeps the console's cookies as a browser does — Secure cookies included,
which a browser takes from http://127.0.0.1 and httpx's cookie jar does not."""

import re
import secrets
from http.cookies import SimpleCookie
from typing import Any

import httpx

from platform_deploy.operators import Operator, create_account
from platform_deploy.services import Fleet

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
