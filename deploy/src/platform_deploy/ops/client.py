"""The ops CLI's connection to the services: where they are, the operator's session (an access token kept
for the shell session, never the password), step-up on a sensitive action, and every failure as one clear
line with an exit code scripts can trust."""

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import typer
from pydantic import BaseModel, ValidationError

# Typer 0.29 carries its own copy of click: its ClickException is the one it prints as one line and exits on.
from typer._click.exceptions import ClickException

from platform_deploy.ops import profile
from platform_deploy.ops.words import Words, language
from platform_shared.client import errors as api
from platform_shared.client.endpoint import Endpoint
from platform_shared.client.lottery import LotteryClient
from platform_shared.client.notifier import NotifierClient
from platform_shared.client.platform import ServiceClient
from platform_shared.client.policy import PolicyClient
from platform_shared.client.transport import AdminHttp, BearerToken
from platform_shared.client.waitlist import WaitlistClient
from platform_shared.contracts.admin.identity import LoginIn, SecondFactorIn

Answer = TypeVar("Answer")
Model = TypeVar("Model", bound=BaseModel)

WORDS = Words({
    "not_logged_in": ("not logged in: run `lottery-ops login`",
                      "로그인하지 않았습니다: `lottery-ops login`을 실행하세요"),
    "log_in_again": ("{message} — run `lottery-ops login`", "{message} — `lottery-ops login`을 실행하세요"),
    "needs_code": ("this action needs a fresh second factor: add --totp CODE (the authenticator's 6 digits)",
                   "이 작업에는 새 2차 인증이 필요합니다: --totp CODE(인증 앱의 6자리)를 붙이세요"),
    "code_prompt": ("TOTP code (step-up for a sensitive action)", "TOTP 코드(민감한 작업의 재인증)"),
    "wrong_code": ("the TOTP code was not accepted (wrong, or already used): nothing was done; you are still "
                   "logged in — run it again with --totp and the next code",
                   "TOTP 코드가 받아들여지지 않았습니다(틀렸거나 이미 쓴 코드): 아무것도 하지 않았습니다; 로그인은 "
                   "유지됩니다 — 다음 코드와 함께 --totp로 다시 실행하세요"),
    "unreachable": ("{service} at {url} did not answer ({cause})",
                    "{url}의 {service} 서비스가 응답하지 않았습니다({cause})"),
    "failed": ("{method} {path}: the service failed ({status})", "{method} {path}: 서비스 장애({status})"),
})


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
    try:
        return profile.url_of(service)
    except ValueError as error:
        raise OpsError(str(error)) from error


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
            raise NotLoggedIn(WORDS["not_logged_in"])
        stored = json.loads(path.read_text())
        return cls(stored["account"], stored["access_token"])


def http(service: str, auth: httpx.Auth | None = None) -> AdminHttp:
    """A service as this CLI calls it: in the CLI's language (the services answer errors in it)."""
    return AdminHttp(url_of(service), auth, language=language())


def login(account: str, password: str, totp: str) -> Session:
    answer = translated("policy", lambda: PolicyClient(http("policy")).login(
        body(LoginIn, account=account, password=password, totp=totp)))
    session = Session(account, answer.access_token)
    session.save()
    return session


def body(model: type[Model], **given: Any) -> Model:
    """A request body from what the operator gave (options left out stay out, for the service's defaults);
    one the service would refuse is refused here, the same way: a 4xx naming the field, nothing sent."""
    try:
        return model.model_validate({name: value for name, value in given.items() if value is not None})
    except ValidationError as error:
        raise Refused("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
                      + " (422)") from error


class OpsHttp(AdminHttp):
    """Calls one service as the logged-in operator. A sensitive action refused for want of a fresh second
    factor steps up once with the TOTP code given (`--totp`) or asked for, then is sent again."""

    def __init__(self, service: str, ops: "Ops") -> None:
        super().__init__(url_of(service), timeout=120, language=language())
        self.service, self._ops = service, ops

    def call_with_headers(self, endpoint: Endpoint[Answer], body: BaseModel | None = None,
                          query: dict[str, Any] | None = None, **path: object) -> tuple[Answer, httpx.Headers]:
        """Every call goes through here (`call` too)."""
        def send() -> tuple[Answer, httpx.Headers]:
            self.auth = BearerToken(self._ops.session().access_token)
            return AdminHttp.call_with_headers(self, endpoint, body, query, **path)
        try:
            return translated(self.service, send)
        except StepUpNeeded:
            self._ops.step_up()
            return translated(self.service, send)

    @contextmanager
    def stream(self, endpoint: Endpoint[None], **path: object) -> Iterator[httpx.Response]:
        self.auth = BearerToken(self._ops.session().access_token)
        with _translating(self.service), AdminHttp.stream(self, endpoint, **path) as response:
            yield response


class StepUpNeeded(Refused):
    """The service asked for a fresh second factor (caught by OpsHttp, which steps up and asks again)."""


class WrongCode(Refused):
    """The step-up's code was refused while the session itself is valid."""


class Ops:
    """The four services' clients as the logged-in operator (`Ops().lottery.dry_run(…)`)."""

    def __init__(self, totp: str | None = None, interactive: bool = True) -> None:
        self._totp = totp
        self._interactive = interactive
        self._session: Session | None = None
        self.policy = PolicyClient(OpsHttp("policy", self))
        self.lottery = LotteryClient(OpsHttp("lottery", self))
        self.waitlist = WaitlistClient(OpsHttp("waitlist", self))
        self.notifier = NotifierClient(OpsHttp("notifier", self))

    def service(self, name: str) -> ServiceClient:
        """Any service, for the routes every service serves (consumers, dead letters, audit)."""
        client: ServiceClient = getattr(self, name)
        return client

    def session(self) -> Session:
        if self._session is None:
            self._session = Session.load()
        return self._session

    def step_up(self) -> None:
        code = self._totp
        if code is None:
            if not (self._interactive and sys.stdin.isatty()):
                raise Refused(WORDS["needs_code"])
            code = typer.prompt(WORDS["code_prompt"], hide_input=False)
        session = self.session()
        policy = PolicyClient(http("policy", BearerToken(session.access_token)))
        try:
            answer = translated("policy", lambda: policy.step_up(body(SecondFactorIn, totp=code)))
        except NotLoggedIn:
            # The policy service answers 401 both for a wrong code and for a login that ended: ask it which.
            translated("policy", policy.me)
            raise WrongCode(WORDS["wrong_code"]) from None
        session.access_token = answer.access_token
        session.save()
        self._totp = None  # a code is good once


def translated(service: str, call: Callable[[], Answer]) -> Answer:
    with _translating(service):
        return call()


@contextmanager
def _translating(service: str) -> Iterator[None]:
    """The client's errors as the CLI's: one line each, with the exit code scripts rely on."""
    try:
        yield
    except api.Unreachable as error:
        raise Unreachable(WORDS["unreachable"].format(service=service, url=url_of(service),
                                                      cause=type(error.cause).__name__)) from error
    except api.ServiceFailed as error:
        raise Unreachable(WORDS["failed"].format(method=error.method, path=error.path, status=error.status)) \
            from error
    except api.NotAuthenticated as error:
        raise NotLoggedIn(WORDS["log_in_again"].format(message=error.message)) from error
    except api.StepUpRequired as error:
        raise StepUpNeeded(f"{error.message} ({error.status})") from error
    except api.Refused as error:
        raise Refused(f"{error.message} ({error.status})") from error
