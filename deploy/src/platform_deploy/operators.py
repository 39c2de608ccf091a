"""The people at the console (SPEC §1): accounts created with `policy-admin create`, as an operator would,
and an `Operator` that logs in at the policy service with password + TOTP, keeps its tokens, and steps up
(a fresh TOTP) before its second factor is five minutes old, so sensitive calls go through. The demo and
the tests talk to the services only through operators."""

import json
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import pyotp

from platform_shared.time.clock import Clock, SystemClock

STEP_UP_EVERY = timedelta(minutes=4)
"""Sooner than the services' five-minute window, so a call never arrives with a stale second factor."""


@dataclass(frozen=True)
class Credentials:
    name: str
    role: str
    password: str
    totp_secret: str
    backup_codes: tuple[str, ...]


def create_account(policy_env: Mapping[str, str], name: str, role: str) -> Credentials:
    """Run `policy-admin create` against the policy database (migrating it first), with a fresh password."""
    password = secrets.token_urlsafe(18)
    done = subprocess.run(
        [sys.executable, "-m", "policy_service.entrypoints.cli.accounts_cli", "create", "--name", name, "--role", role,
         "--created-by", "platform", "--password-stdin", "--json"],
        input=f"{password}\n".encode(), env={**os.environ, **policy_env}, capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"policy-admin create {name} failed: {done.stderr.decode()[-2000:]}")
    enrolment = json.loads(done.stdout)
    return Credentials(name, role, password, enrolment["totp_secret"], tuple(enrolment["backup_codes"]))


class Operator(httpx.Auth):
    """An httpx auth flow: every request carries a current access token with a fresh second factor.
    One per account and process: TOTP codes are good once, so two operators of one account would refuse
    each other's codes."""

    def __init__(self, policy_url: str, credentials: Credentials, clock: Clock | None = None) -> None:
        self.policy_url = policy_url
        self.credentials = credentials
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._access: str | None = None
        self._fresh_until = datetime.min.replace(tzinfo=self._clock.now().tzinfo)
        self._last_step: int | None = None

    @property
    def name(self) -> str:
        return self.credentials.name

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.access_token()}"
        yield request

    def access_token(self) -> str:
        with self._lock:
            if self._access is None or self._clock.now() >= self._fresh_until:
                self._authenticate()
            assert self._access is not None
            return self._access

    def totp(self) -> str:
        """The current code of the authenticator app, waiting for the next one if this one was used."""
        totp = pyotp.TOTP(self.credentials.totp_secret)
        while self._last_step is not None and totp.timecode(self._clock.now()) <= self._last_step:
            time.sleep(0.5)
        self._last_step = totp.timecode(self._clock.now())
        return totp.at(self._clock.now())

    def _authenticate(self) -> None:
        started = self._clock.now()
        with httpx.Client(base_url=self.policy_url, timeout=30) as policy:
            if self._access is None:
                response = policy.post("/auth/login", json={"account": self.name, "password": self.credentials.password,
                                                            "totp": self.totp()})
            else:
                response = policy.post("/auth/step-up", json={"totp": self.totp()},
                                       headers={"Authorization": f"Bearer {self._access}"})
                if response.status_code == 401:  # the login ended (expired, reset): start again
                    self._access = None
                    return self._authenticate()
        if response.is_error:
            raise RuntimeError(f"{self.name} could not authenticate: {response.status_code} {response.text}")
        self._access = response.json()["access_token"]
        self._fresh_until = started + STEP_UP_EVERY


_console: dict[str, Operator] = {}


def set_console_operator(operator: Operator) -> None:
    """Who `admin_client` acts as when not told: the operator logged in at this console (the demo's or
    the test run's admin)."""
    _console["default"] = operator


def console_operator() -> Operator:
    if "default" not in _console:
        raise RuntimeError("no operator is logged in at this console: start a Fleet (it creates the operators) "
                           "or pass one")
    return _console["default"]
