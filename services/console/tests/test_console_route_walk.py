"""Every console route walked without credentials, and with a role it is not for (SPEC §7: a route nobody
classified is a bug; identity only from the sealed session). The services behind the console are unreachable
here on purpose: each refusal is the console's own, before any service is asked."""

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from console_service.access import ACCESS
from console_service.adapters.session_cookie import COOKIE, SessionCookie
from console_service.bootstrap import build_app
from console_service.domain.session import ConsoleSession
from console_service.settings import ConsoleSettings
from platform_shared.auth.access import Role

KEY = "ab" * 32
NOWHERE = "http://127.0.0.1:9"
GUARDED = sorted(route for route, access in ACCESS.items() if access.kind != "public")


@pytest.fixture(scope="module")
def console() -> TestClient:
    settings = ConsoleSettings(session_key=SecretStr(KEY), policy_url=NOWHERE, lottery_url=NOWHERE,
                               waitlist_url=NOWHERE, notifier_url=NOWHERE)
    return TestClient(build_app(settings), base_url="https://console.test", follow_redirects=False)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", path)


@pytest.mark.parametrize(("method", "path"), GUARDED, ids=[f"{m} {p}" for m, p in GUARDED])
def test_without_a_session_every_guarded_route_sends_to_sign_in(console, method, path):
    console.cookies.clear()
    answer = console.request(method, concrete(path))
    assert answer.status_code == 303 and answer.headers["location"].startswith("/signin"), \
        f"{method} {path}: {answer.status_code}"


FORBIDDEN_TO_DATA = sorted(route for route, access in ACCESS.items()
                           if access.kind != "public" and Role.DATA not in access.roles)


@pytest.mark.parametrize(("method", "path"), FORBIDDEN_TO_DATA, ids=[f"{m} {p}" for m, p in FORBIDDEN_TO_DATA])
def test_a_role_a_route_is_not_for_is_refused_before_any_service_is_asked(console, method, path):
    session = ConsoleSession.begin("reader", Role.DATA, "not-a-token", None, datetime.now(UTC))
    console.cookies.clear()
    console.cookies.set(COOKIE, SessionCookie(KEY).seal(session), domain="console.test")
    answer = console.request(method, concrete(path), data={"csrf": session.csrf})
    assert answer.status_code == 403, f"{method} {path}: {answer.status_code}"
    assert "역할" in answer.text  # told in words: not for this role
