"""The ops CLI's connection to the services: where they are, the operator's session (an access token kept
for the shell session, never the password), step-up on a sensitive action, and every failure as one clear
line with an exit code scripts can trust."""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import typer

# Typer 0.29 carries its own copy of click: its ClickException is the one it prints as one line and exits on.
from typer._click.exceptions import ClickException

SERVICES = {"policy": 8001, "lottery": 8002, "waitlist": 8003, "notifier": 8004}
"""Default addresses: the ports docker-compose.yml publishes. OPS_<SERVICE>_URL overrides each."""


class OpsError(ClickException):
    """Printed as one line (`Error: …`); its exit code says what kind of failure it was."""

    exit_code = 1


class Refused(OpsError):
    """The service answered 4xx: the request was wrong or not allowed now. Nothing changed."""

    exit_code = 3


class Unreachable(OpsError):
    """No answer, or a 5xx: try again later. It may or may not have happened; status commands tell."""

    exit_code = 4


class NotLoggedIn(OpsError):
    exit_code = 5


EXIT_CODES = {0: "done", 1: "a check failed (verify, pre-check, audit)", 2: "usage error",
              3: "refused by the service (4xx; nothing changed)", 4: "service unreachable or failing (5xx)",
              5: "not logged in (`lottery-ops login`)"}


def session_file() -> Path:
    configured = os.environ.get("OPS_SESSION_FILE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_RUNTIME_DIR") or Path.home() / ".cache") / "lottery-ops" / "session.json"


def url_of(service: str) -> str:
    return os.environ.get(f"OPS_{service.upper()}_URL", f"http://localhost:{SERVICES[service]}")


@dataclass
class Session:
    account: str
    access_token: str

    def save(self) -> None:
        """Readable by the operator only, whatever the file was before: written to a private new file, then
        moved over the old one."""
        path = session_file()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        staging = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            os.fchmod(file.fileno(), 0o600)
            file.write(json.dumps({"account": self.account, "access_token": self.access_token}))
        os.replace(staging, path)

    @classmethod
    def load(cls) -> "Session":
        path = session_file()
        if not path.exists():
            raise NotLoggedIn("not logged in: run `lottery-ops login`")
        stored = json.loads(path.read_text())
        return cls(stored["account"], stored["access_token"])


def login(account: str, password: str, totp: str) -> Session:
    answer = _checked(_call("POST", "policy", "/auth/login",
                            json={"account": account, "password": password, "totp": totp}))
    session = Session(account, answer["access_token"])
    session.save()
    return session


class Ops:
    """Calls the services as the logged-in operator. A sensitive action refused for want of a fresh second
    factor steps up once with the TOTP code given (`--totp`) or asked for, then is sent again."""

    def __init__(self, totp: str | None = None, interactive: bool = True) -> None:
        self._totp = totp
        self._interactive = interactive

    def get(self, service: str, path: str, **params: Any) -> Any:
        return self.call("GET", service, path, params={k: v for k, v in params.items() if v is not None})

    def post(self, service: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.call("POST", service, path, json={k: v for k, v in (body or {}).items() if v is not None})

    def put(self, service: str, path: str, body: dict[str, Any]) -> Any:
        return self.call("PUT", service, path, json=body)

    def call(self, method: str, service: str, path: str, **kwargs: Any) -> Any:
        session = Session.load()
        response = _call(method, service, path, token=session.access_token, **kwargs)
        if response.status_code == 403 and "step up" in response.text:
            self._step_up(session)
            response = _call(method, service, path, token=session.access_token, **kwargs)
        return _checked(response)

    @contextmanager
    def stream(self, service: str, path: str) -> Iterator[httpx.Response]:
        """An open streaming response (exports, backups), closed with its client when the block ends."""
        session = Session.load()
        with httpx.Client(base_url=url_of(service), timeout=300,
                          headers={"Authorization": f"Bearer {session.access_token}"}) as client:
            try:
                response = client.send(client.build_request("GET", path), stream=True)
            except httpx.TransportError as error:
                raise Unreachable(f"{service} at {url_of(service)} did not answer ({type(error).__name__})") \
                    from error
            try:
                if response.is_error:
                    response.read()
                    _checked(response)
                yield response
            finally:
                response.close()

    def _step_up(self, session: Session) -> None:
        code = self._totp
        if code is None:
            if not self._interactive:
                raise Refused("this action needs a fresh second factor: pass --totp CODE")
            code = typer.prompt("TOTP code (step-up for a sensitive action)", hide_input=False)
        answer = _checked(_call("POST", "policy", "/auth/step-up", json={"totp": code}, token=session.access_token))
        session.access_token = answer["access_token"]
        session.save()
        self._totp = None  # a code is good once


def _call(method: str, service: str, path: str, *, token: str | None = None, **kwargs: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with httpx.Client(base_url=url_of(service), timeout=120, headers=headers) as client:
            return client.request(method, path, **kwargs)
    except httpx.TransportError as error:
        raise Unreachable(f"{service} at {url_of(service)} did not answer ({type(error).__name__})") from error


def _checked(response: httpx.Response) -> Any:
    if response.status_code >= 500:
        raise Unreachable(f"{response.request.method} {response.request.url.path}: the service failed "
                          f"({response.status_code})")
    if response.status_code == 401:
        raise NotLoggedIn(f"{_message(response)} — run `lottery-ops login`")
    if response.is_error:
        raise Refused(f"{_message(response)} ({response.status_code})")
    if not response.content:
        return None
    if "json" in response.headers.get("content-type", ""):
        return response.json()
    return response.text


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict) and "message" in body:
        field = f" [{body['field']}]" if body.get("field") else ""
        return f"{body['message']}{field}"
    if isinstance(body, dict) and isinstance(body.get("detail"), list):  # FastAPI's field errors
        return "; ".join(f"{'.'.join(str(p) for p in d.get('loc', [])[1:])}: {d.get('msg')}" for d in body["detail"])
    return str(body)[:300]
