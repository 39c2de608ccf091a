"""Every route of every service, walked from its OpenAPI document (issue 10): a call without a token, with a
malformed, expired, unsigned (`alg=none`) or foreign-signed token, with a role the route does not admit, or
to a sensitive route without a recent second factor is refused (401/403) — and the walk changes nothing.
Entrant routes (issue 12) take a Kakao ID token only: any admin token there is 401, and a Kakao token on an
admin route is 401."""

import asyncio
import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from uuid import uuid4

import httpx
import pytest

from lottery_service.access import ACCESS as LOTTERY
from notifier_service.access import ACCESS as NOTIFIER
from platform_deploy.services import Fleet
from platform_shared.auth.access import Access, Role
from platform_shared.auth.tokens import SigningKey, TokenSigner
from platform_shared.time.clock import Clock, FixedClock
from policy_service.access import ACCESS as POLICY
from tests.support import fetch
from waitlist_service.access import ACCESS as WAITLIST

pytestmark = pytest.mark.integration

TABLES = {"lottery": LOTTERY, "waitlist": WAITLIST, "notifier": NOTIFIER, "policy": POLICY}
ACCOUNT_OF_ROLE = {Role.ADMIN: "admin", Role.PM: "pm", Role.DATA: "analyst", Role.PARTNER_OPS: "partner"}
WRITES = ["audit_log", "pending_confirmations"]
"""Written only by admin actions (background work such as promotion passes writes other tables)."""


def operations(fleet: Fleet, service: str) -> Iterator[tuple[str, str, str, Access]]:
    """(method, path template, a callable path, classification) for every operation of the document."""
    document = httpx.get(f"{fleet[service].base_url}/openapi.json", timeout=10).json()
    for template, methods in document["paths"].items():
        for method, operation in methods.items():
            path = template
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    schema = parameter.get("schema", {})
                    value = "1" if schema.get("type") == "integer" else str(uuid4())
                    path = path.replace("{" + parameter["name"] + "}", value)
            yield method.upper(), template, path, TABLES[service][(method.upper(), template)]


def mint(fleet: Fleet, clock: Clock, *, role: str = "admin", auth_age: timedelta = timedelta(0),
         key: SigningKey | None = None) -> str:
    return TokenSigner(key or fleet.signing_key, clock).access_token(
        account="admin", role=role, amr=("pwd", "otp"), auth_time=clock.now() - auth_age, session_id="walk")


def unsigned(token: str) -> str:
    """The same claims with `alg: none` and no signature."""
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).rstrip(b"=").decode()
    return f"{header}.{token.split('.')[1]}."


async def written(fleet: Fleet) -> dict[str, int]:
    counts = {}
    for service in TABLES:
        for table in WRITES:
            rows = await fetch(fleet.infrastructure.database_urls[service], f"SELECT count(*) AS n FROM {table}")
            counts[f"{service}.{table}"] = int(rows[0]["n"])
    return counts


@pytest.mark.parametrize("service", list(TABLES))
def test_every_route_refuses_whoever_it_does_not_admit_and_changes_nothing(fleet: Fleet, clock: Clock,
                                                                         service: str) -> None:
    base = fleet[service].base_url
    expired = mint(fleet, FixedClock(clock.now() - timedelta(hours=1)))
    foreign = mint(fleet, clock, key=SigningKey(fleet.signing_key.key_id, SigningKey.generate().private_pem))
    refusals: list[str] = []
    tokens = {role: fleet.operator(account).access_token() for role, account in ACCOUNT_OF_ROLE.items()}
    entrant = fleet.entrant_token(4_000_000_001)
    before = asyncio.run(written(fleet))
    checked = 0
    with httpx.Client(base_url=base, timeout=30) as client:
        def call(method: str, path: str, token: str | None) -> httpx.Response:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return client.request(method, path, headers=headers, json={} if method in ("POST", "PUT") else None)

        for method, template, path, access in operations(fleet, service):
            if access.kind == "public":
                continue
            checked += 1
            attempts: list[tuple[str, str | None, int]] = [
                ("no token", None, 401), ("malformed token", "not.a.token", 401), ("expired token", expired, 401),
                ("alg=none token", unsigned(mint(fleet, clock)), 401), ("foreign-signed token", foreign, 401)]
            if access.kind == "entrant":  # an admin token of any role is not a Kakao login
                attempts += [(f"role {role}", tokens[role], 401) for role in Role]
            else:
                attempts += [(f"role {role}", tokens[role], 403) for role in Role if role not in access.roles]
                attempts.append(("Kakao ID token", entrant, 401))
            if access.kind == "sensitive":
                admitted = sorted(access.roles)[0]
                attempts.append(("second factor 6 minutes old",
                                 mint(fleet, clock, role=admitted, auth_age=timedelta(minutes=6)), 403))
            for what, token, expected in attempts:
                response = call(method, path, token)
                if response.status_code != expected:
                    refusals.append(f"{method} {template} with {what}: {response.status_code} {response.text[:200]}")
                elif expected == 403 and "step" not in response.text and what.startswith("second"):
                    refusals.append(f"{method} {template}: the refusal does not say a step-up is missing")
    assert checked > 0
    assert not refusals, "\n".join(refusals)
    assert asyncio.run(written(fleet)) == before, "refused calls wrote nothing"


def test_a_caller_who_may_is_let_through_with_a_fresh_second_factor(fleet: Fleet, clock: Clock) -> None:
    """The walk's counterpart: the same sensitive route answers (here 404 for an unknown run, past the
    access check) for an admin who stepped up, and names the missing step-up for one who did not."""
    run = str(uuid4())
    path = f"{fleet['lottery'].base_url}/runs/{run}/rollback/confirm"
    fresh = httpx.post(path, json={"token": "x" * 16}, headers={"Authorization": f"Bearer {mint(fleet, clock)}"})
    stale = httpx.post(path, json={"token": "x" * 16},
                       headers={"Authorization": f"Bearer {mint(fleet, clock, auth_age=timedelta(minutes=6))}"})
    assert fresh.status_code == 404, fresh.text
    assert stale.status_code == 403 and "step up" in stale.json()["message"]



def test_an_audited_action_records_the_account_its_role_and_the_request_id(fleet: Fleet) -> None:
    campaign, request_id = f"audited-{uuid4().hex[:8]}", f"req-{uuid4().hex}"
    with httpx.Client(base_url=fleet["lottery"].base_url, auth=fleet.operator("pm"), timeout=30) as lottery:
        created = lottery.post("/draws", headers={"X-Request-Id": request_id}, json={
            "campaign_id": campaign, "seats": 1, "waitlist_size": 0, "draw_at": "2026-12-01T20:00:00+09:00"})
        assert created.status_code == 201, created.text
        assert created.headers["X-Request-Id"] == request_id
        [record] = lottery.get("/audit", params={"target": f"draw:{campaign}"}).json()
    assert (record["actor"], record["details"]["role"], record["details"]["request_id"]) == ("pm", "pm", request_id)
