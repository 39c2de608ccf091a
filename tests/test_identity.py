"""Admin identity end to end with real processes (issue 10, SPEC §7, seed §2, §10): login with password and
TOTP, each code once; growing lockouts; one-time backup codes; refresh rotation and logout; step-up."""

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any
from uuid import uuid4

import httpx
import jwt
import pyotp
import pytest

from platform_deploy.infra import SERVICES, Infrastructure
from platform_deploy.operators import Credentials, create_account
from platform_deploy.services import Fleet
from platform_shared.auth.tokens import TokenSigner
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.time.clock import Clock
from policy_service.application.accounts import AccountService
from tests.support import eventually, fetch

pytestmark = pytest.mark.integration


PEOPLE = 9
"""Tests of this module that take a `person` (at most): their accounts are created up front."""


@pytest.fixture(scope="module")
async def people(fleet: Fleet, infrastructure: Infrastructure) -> AsyncIterator[list[Credentials]]:
    """Fresh accounts, made by the code `policy-admin create` runs (the command itself is tested with the
    fleet's operators): in this process, where each command would be a process start of seconds."""
    engine = create_engine(infrastructure.database_urls["policy"])
    try:
        sessions = session_factory(engine, audit_key=fleet.audit_keys["policy"].encode())  # sealed as the service seals
        accounts, created = AccountService(sessions, fleet.clock), []
        for _ in range(PEOPLE):
            name, password = f"person-{uuid4().hex[:8]}", secrets.token_urlsafe(18)
            enrolment = await accounts.create(name, "admin", password, "platform")
            created.append(Credentials(name, "admin", password, enrolment.totp_secret, tuple(enrolment.backup_codes)))
        yield created
    finally:
        await engine.dispose()


@pytest.fixture
def person(people: list[Credentials]) -> Credentials:
    """A fresh account of its own, so lockouts and used codes never touch the fleet's operators or each other."""
    assert people, "PEOPLE is smaller than the number of tests taking a person"
    return people.pop()


@pytest.fixture
def policy(fleet: Fleet) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fleet["policy"].base_url, timeout=30) as client:
        yield client


def login(policy: httpx.Client, who: Credentials, **factor: str) -> httpx.Response:
    return policy.post("/auth/login", json={"account": who.name, "password": who.password, **factor})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def code(who: Credentials, clock: Clock) -> str:
    return pyotp.TOTP(who.totp_secret).at(clock.now())


def audit(fleet: Fleet, who: Credentials) -> list[str]:
    rows = asyncio.run(fetch(fleet.infrastructure.database_urls["policy"],
                             "SELECT action FROM audit_log WHERE target = $1 ORDER BY id", f"account:{who.name}"))
    return [r["action"] for r in rows]


def test_login_takes_a_password_and_a_totp_code_each_code_once(fleet: Fleet, policy: httpx.Client,
                                                               person: Credentials, clock: Clock) -> None:
    first = code(person, clock)
    tokens = login(policy, person, totp=first)
    assert tokens.status_code == 200, tokens.text
    me = policy.get("/auth/me", headers=bearer(tokens.json()["access_token"])).json()
    assert (me["account"], me["role"], me["amr"]) == (person.name, "admin", ["pwd", "otp"])

    replayed = login(policy, person, totp=first)
    wrong_password = policy.post("/auth/login", json={"account": person.name, "password": "not the password!",
                                                      "totp": code(person, clock)})
    unknown = policy.post("/auth/login", json={"account": f"nobody-{uuid4().hex[:6]}", "password": "x" * 12,
                                               "totp": "123456"})
    assert replayed.status_code == wrong_password.status_code == unknown.status_code == 401
    assert replayed.json()["message"] == wrong_password.json()["message"] == unknown.json()["message"], \
        "one message: a caller cannot tell which part was wrong or whether the account exists"
    assert audit(fleet, person) == ["account.create", "auth.login", "auth.login_refused", "auth.login_refused"]


def test_failed_logins_lock_the_account_even_for_the_right_password(fleet: Fleet, policy: httpx.Client,
                                                                    person: Credentials, clock: Clock) -> None:
    for _ in range(5):
        assert login(policy, person, totp="000000" if code(person, clock) != "000000" else "111111"
                     ).status_code == 401
    locked = login(policy, person, totp=code(person, clock))
    assert locked.status_code == 429, locked.text
    assert 0 < int(locked.headers["Retry-After"]) <= 60
    assert "locked" in locked.json()["message"]


def test_a_backup_code_logs_in_once_and_new_codes_void_the_old(fleet: Fleet, policy: httpx.Client,
                                                              person: Credentials) -> None:
    used, spare = person.backup_codes[0], person.backup_codes[1]
    tokens = login(policy, person, backup_code=used.upper())
    assert tokens.status_code == 200, tokens.text
    assert login(policy, person, backup_code=used).status_code == 401, "a used backup code is refused"

    fresh = policy.post("/auth/backup-codes", headers=bearer(tokens.json()["access_token"]))
    assert fresh.status_code == 200, fresh.text
    assert login(policy, person, backup_code=spare).status_code == 401, "regenerating voids every old code"
    assert login(policy, person, backup_code=fresh.json()["backup_codes"][0]).status_code == 200
    assert "account.backup_codes_regenerated" in audit(fleet, person)


def test_refresh_tokens_rotate_and_logout_ends_the_login(policy: httpx.Client, person: Credentials,
                                                        clock: Clock) -> None:
    tokens = login(policy, person, totp=code(person, clock)).json()
    renewed = policy.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert renewed.status_code == 200, renewed.text
    assert policy.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401, \
        "a refresh token is good once"
    assert policy.post("/auth/logout", headers=bearer(renewed.json()["access_token"])).status_code == 204
    assert policy.post("/auth/refresh", json={"refresh_token": renewed.json()["refresh_token"]}).status_code == 401


def statuses(fleet: Fleet, token: str) -> dict[str, int]:
    """What each service answers the token on a route every operator may read."""
    return {name: httpx.get(f"{fleet[name].base_url}/consumers", headers=bearer(token), timeout=30).status_code
            for name in SERVICES}


def test_logout_ends_that_login_on_every_service_within_seconds_and_only_that_login(
        fleet: Fleet, policy: httpx.Client, person: Credentials, clock: Clock) -> None:
    """The tokens of a login that ended read nothing and act on nothing anywhere, even within their second
    factor's window; the account's other login goes on (a logout is not a 2FA reset)."""
    ended = login(policy, person, totp=code(person, clock)).json()["access_token"]
    other = login(policy, person, backup_code=person.backup_codes[0]).json()["access_token"]

    assert statuses(fleet, ended) == dict.fromkeys(SERVICES, 200)
    assert policy.post("/auth/logout", headers=bearer(ended)).status_code == 204
    asyncio.run(eventually(lambda: asyncio.to_thread(statuses, fleet, ended), lambda seen: set(seen.values()) == {401},
                           timeout=5, what="the logged-out token refused by every service"))
    refused = policy.post("/policy/backups", headers=bearer(ended))
    assert refused.status_code == 401 and "has ended" in refused.json()["message"]
    assert statuses(fleet, other) == dict.fromkeys(SERVICES, 200), "the account's other login goes on"


def test_step_up_renews_the_second_factor_a_sensitive_action_needs(fleet: Fleet, policy: httpx.Client,
                                                                  person: Credentials, clock: Clock) -> None:
    tokens = login(policy, person, totp=code(person, clock)).json()
    claims: dict[str, Any] = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    stale = TokenSigner(fleet.signing_key, clock).access_token(
        account=person.name, role="admin", amr=("pwd", "otp"), auth_time=clock.now() - timedelta(minutes=6),
        session_id=claims["sid"])
    refused = policy.post("/auth/backup-codes", headers=bearer(stale))
    assert refused.status_code == 403 and "step up" in refused.json()["message"]

    stepped = policy.post("/auth/step-up", headers=bearer(stale), json={"backup_code": person.backup_codes[2]})
    assert stepped.status_code == 200, stepped.text
    assert policy.post("/auth/backup-codes", headers=bearer(stepped.json()["access_token"])).status_code == 200


def test_a_lost_device_is_reset_by_a_second_person_and_voids_every_login(
        fleet: Fleet, policy: httpx.Client, person: Credentials, clock: Clock) -> None:
    """Seed §10: the holder asks with their password, a PM approves with a fresh second factor; the old
    secret, backup codes and tokens stop working everywhere (every login of the account, each service refusing
    them once `admin_accounts` reaches it); the holder enrols a new secret."""
    old = login(policy, person, totp=code(person, clock)).json()
    other = login(policy, person, backup_code=person.backup_codes[1]).json()["access_token"]
    assert statuses(fleet, old["access_token"]) == statuses(fleet, other) == dict.fromkeys(SERVICES, 200)

    asked = policy.post("/auth/2fa-resets", json={"account": person.name, "password": person.password,
                                                  "reason": "phone lost on the train"})
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["request_id"]
    pm = httpx.Client(base_url=fleet["policy"].base_url, auth=fleet.operator("pm"), timeout=30)
    approved = pm.post(f"/auth/2fa-resets/{request_id}/approve", json={"reason": "called the holder back"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["approved_by"] == "pm"

    # Every service refuses both logins' access tokens once the change reaches it; policy refuses the refresh.
    async def both_everywhere() -> set[int]:
        seen = [await asyncio.to_thread(statuses, fleet, token) for token in (old["access_token"], other)]
        return {status for answers in seen for status in answers.values()}

    asyncio.run(eventually(both_everywhere, lambda seen: seen == {401}, timeout=10,
                           what="both logins from before the reset refused by every service"))
    refused = httpx.get(f"{fleet['lottery'].base_url}/draws/x", headers=bearer(other), timeout=30)
    assert "has ended" in refused.json()["message"], refused.text
    assert policy.post("/auth/refresh", json={"refresh_token": old["refresh_token"]}).status_code == 401
    assert login(policy, person, backup_code=person.backup_codes[0]).status_code == 401, "old backup codes void"
    assert login(policy, person, totp=code(person, clock)).status_code == 401, "the lost device's codes void"

    enrolled = policy.post(f"/auth/2fa-resets/{request_id}/enrol",
                           json={"account": person.name, "password": person.password})
    assert enrolled.status_code == 200, enrolled.text
    new_secret = pyotp.parse_uri(enrolled.json()["provisioning_uri"]).secret
    assert login(policy, person, totp=pyotp.TOTP(new_secret).at(clock.now())).status_code == 200
    again = policy.post(f"/auth/2fa-resets/{request_id}/enrol", json={"account": person.name,
                                                                      "password": person.password})
    assert again.status_code == 409, "the new secret is shown once"
    assert {"auth.2fa_reset_requested", "auth.2fa_reset", "auth.2fa_enrolled"} <= set(audit(fleet, person))


def test_a_pm_cannot_approve_their_own_reset_and_the_attempt_is_audited(fleet: Fleet, policy: httpx.Client,
                                                                       clock: Clock) -> None:
    pm_account = create_account(fleet["policy"].base_env, f"pm-{uuid4().hex[:8]}", "pm")
    asked = policy.post("/auth/2fa-resets", json={"account": pm_account.name, "password": pm_account.password,
                                                  "reason": "testing the two-person rule"}).json()
    tokens = login(policy, pm_account, totp=code(pm_account, clock)).json()
    own = policy.post(f"/auth/2fa-resets/{asked['request_id']}/approve", headers=bearer(tokens["access_token"]),
                      json={"reason": "approving myself"})
    assert own.status_code == 403 and "second person" in own.json()["message"]
    assert "auth.2fa_reset_refused" in audit(fleet, pm_account)
    assert login(policy, pm_account, backup_code=pm_account.backup_codes[0]).status_code == 200, \
        "nothing was reset"


def test_digits_of_another_script_are_refused_as_input_whatever_the_password(policy: httpx.Client,
                                                                             person: Credentials) -> None:
    arabic_indic = "\u0661\u0662\u0663\u0664\u0665\u0666"
    right = login(policy, person, totp=arabic_indic)
    wrong = policy.post("/auth/login", json={"account": person.name, "password": "not the password!",
                                             "totp": arabic_indic})
    assert right.status_code == wrong.status_code == 422, "the answer must not depend on the password"
