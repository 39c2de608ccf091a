"""Kakao login with real processes (issue 12, SPEC §9, seed §9): the fleet's services verify Kakao ID tokens
from the stand-in issuer (platform_deploy/fake_kakao.py) locally; forgeries are 401; the issuer rotates its key
and entry goes on; the issuer fails and entry answers 503 with the policy's outage banner while browsing
answers 200, then heals without a restart; ops see the outage and the failures."""

import asyncio
import base64
import json
import secrets
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key

from platform_deploy.services import Fleet
from platform_shared.auth.tokens import TokenSigner
from platform_shared.time.clock import Clock
from tests.policy_drill import change, roll_back_to
from tests.support import eventually, ok

pytestmark = pytest.mark.integration

ENTRANT_SERVICES = ("lottery", "waitlist")


@pytest.fixture
def kakao(fleet: Fleet) -> Iterator[httpx.Client]:
    """The stand-in's controls; whatever a test told it to do is undone afterwards."""
    assert fleet.kakao is not None, "these tests drive the stand-in issuer"
    with httpx.Client(base_url=fleet.kakao.base_url, timeout=30) as client:
        try:
            yield client
        finally:
            ok(client.post("/_reset"))


def me(fleet: Fleet, token: str, service: str = "lottery") -> httpx.Response:
    return httpx.get(f"{fleet[service].base_url}/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)


def answered(fleet: Fleet, token: str, status: int, service: str = "lottery") -> httpx.Response:
    """Poll until `service` answers `status`: a key id the service has not seen is fetched at most once per
    KAKAO_JWKS_MIN_REFRESH_SECONDS (1 s in the test fleet)."""
    return asyncio.run(eventually(lambda: asyncio.to_thread(me, fleet, token, service),
                                  lambda response: response.status_code == status, timeout=20,
                                  what=f"{service} answering {status}"))


def kakao_status(fleet: Fleet, service: str = "lottery") -> dict[str, Any]:
    with httpx.Client(base_url=fleet[service].base_url, auth=fleet.operator("analyst"), timeout=30) as client:
        status: dict[str, Any] = ok(client.get("/auth/kakao/status"))
    return status


def entrant_id() -> int:
    return 2_000_000_000 + secrets.randbelow(10**9)


def test_a_kakao_token_names_the_entrant_at_every_entrant_service(fleet: Fleet) -> None:
    user = entrant_id()
    token = fleet.entrant_token(user)
    for service in ENTRANT_SERVICES:
        answer = me(fleet, token, service)
        assert (answer.status_code, answer.json()) == (200, {"kakao_user_id": user}), service


def test_forged_tokens_are_refused(fleet: Fleet, kakao: httpx.Client, clock: Clock) -> None:
    good = fleet.entrant_token(entrant_id())
    header, claims = jwt.get_unverified_header(good), jwt.decode(good, options={"verify_signature": False})
    unsigned_header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "kid": header["kid"]}).encode())
    forged = {
        "wrong key": jwt.encode(claims, generate_private_key(public_exponent=65537, key_size=2048), "RS256",
                                headers={"kid": header["kid"]}),
        "alg=none": f"{unsigned_header.rstrip(b'=').decode()}.{good.split('.')[1]}.",
        "expired": ok(kakao.post("/_mint", json={"sub": "77", "expires_in": -3600}))["id_token"],
        "wrong aud": ok(kakao.post("/_mint", json={"sub": "77", "audience": "another-app"}))["id_token"],
        "an admin token": TokenSigner(fleet.signing_key, clock).access_token(
            account="admin", role="admin", amr=("pwd", "otp"), auth_time=clock.now(), session_id="kakao-test"),
    }
    for service in ENTRANT_SERVICES:
        for what, token in forged.items():
            answer = me(fleet, token, service)
            assert answer.status_code == 401, f"{service} {what}: {answer.status_code} {answer.text}"
            assert token.split(".")[1] not in answer.text
    assert kakao_status(fleet)["login_failures"].keys() >= {"signature", "algorithm", "expired", "audience"}


def test_the_code_flow_logs_an_entrant_in_and_the_token_opens_entrant_routes(fleet: Fleet,
                                                                           kakao: httpx.Client) -> None:
    user, nonce, redirect_uri = entrant_id(), secrets.token_urlsafe(16), "https://entry.example/kakao/callback"
    authorize = kakao.get("/oauth/authorize", params={
        "client_id": fleet["lottery"].base_env["KAKAO_APP_KEY"], "redirect_uri": redirect_uri,
        "response_type": "code", "state": "s-1", "nonce": nonce, "login_hint": str(user)})
    assert authorize.status_code == 302
    code = parse_qs(urlsplit(authorize.headers["location"]).query)["code"][0]

    login = httpx.post(f"{fleet['lottery'].base_url}/auth/kakao/login", timeout=30,
                       json={"code": code, "redirect_uri": redirect_uri, "nonce": nonce})
    assert login.status_code == 200, login.text
    assert login.json()["kakao_user_id"] == user
    assert me(fleet, login.json()["id_token"], "waitlist").json() == {"kakao_user_id": user}
    again = httpx.post(f"{fleet['lottery'].base_url}/auth/kakao/login", timeout=30,
                       json={"code": code, "redirect_uri": redirect_uri, "nonce": nonce})
    assert again.status_code == 401, "a code is good once"


def test_after_a_key_rotation_entries_keep_working_without_a_restart(fleet: Fleet, kakao: httpx.Client) -> None:
    old = fleet.entrant_token(entrant_id())
    for service in ENTRANT_SERVICES:
        assert me(fleet, old, service).status_code == 200
    ok(kakao.post("/_rotate", json={"retire_old": True}))
    new = fleet.entrant_token(user := entrant_id())
    for service in ENTRANT_SERVICES:
        assert answered(fleet, new, 200, service).json() == {"kakao_user_id": user}
        assert me(fleet, old, service).status_code == 401, "the retired key is no longer trusted"


def test_verification_never_asks_the_issuer_per_request(fleet: Fleet, kakao: httpx.Client) -> None:
    tokens = [fleet.entrant_token(entrant_id()) for _ in range(30)]
    answered(fleet, tokens[0], 200)
    asked = ok(kakao.get("/_stats"))
    assert all(me(fleet, token).status_code == 200 for token in tokens)
    assert ok(kakao.get("/_stats")) == asked


def test_an_issuer_outage_answers_entry_with_the_banner_keeps_browsing_open_and_heals(
        fleet: Fleet, kakao: httpx.Client, policy: httpx.Client) -> None:
    banner = f"카카오 로그인 점검 중 ({secrets.token_hex(3)}): 잠시 후 다시 응모해 주세요"
    start = ok(policy.get("/policy"))["version"]
    change(fleet, policy, {"kakao_outage_banner": banner})
    try:
        cached = fleet.entrant_token(entrant_id())
        assert answered(fleet, cached, 200).status_code == 200
        ok(kakao.post("/_behave", json={"fail_jwks": True, "fail_token": True}))
        ok(kakao.post("/_rotate", json={"retire_old": False}))
        fresh = fleet.entrant_token(user := entrant_id())

        refused = answered(fleet, fresh, 503)
        assert refused.json()["banner"] == banner and "unavailable" in refused.json()["message"]
        assert me(fleet, cached).status_code == 200, "a key already held is still the issuer's key"
        assert httpx.get(f"{fleet['lottery'].base_url}/health", timeout=30).status_code == 200
        assert httpx.get(f"{fleet['policy'].base_url}/policy/banners", timeout=30).status_code == 200
        login = httpx.post(f"{fleet['waitlist'].base_url}/auth/kakao/login", timeout=30,
                           json={"code": "a-code", "redirect_uri": "https://e.example/cb", "nonce": "n" * 12})
        assert (login.status_code, login.json()["banner"]) == (503, banner)

        during = kakao_status(fleet)
        assert during["issuer_up"] is False and during["outage_since"] is not None
        assert during["login_failures"]["issuer_unavailable"] >= 1
        metrics = httpx.get(f"{fleet['lottery'].base_url}/metrics", timeout=30).text
        assert 'kakao_login_failures_total{reason="issuer_unavailable"}' in metrics
        assert "kakao_issuer_up 0.0" in metrics

        ok(kakao.post("/_reset"))
        assert answered(fleet, fresh, 200).json() == {"kakao_user_id": user}
        after = kakao_status(fleet)
        assert after["issuer_up"] is True and after["outage_since"] is None
        assert after["last_outage"]["began"] == during["outage_since"] and after["last_outage"]["ended"]
    finally:
        roll_back_to(fleet, policy, start)


def test_ops_see_the_issuer_state_only_with_an_admin_role(fleet: Fleet) -> None:
    anonymous = httpx.get(f"{fleet['lottery'].base_url}/auth/kakao/status", timeout=30)
    as_entrant = httpx.get(f"{fleet['lottery'].base_url}/auth/kakao/status", timeout=30,
                           headers={"Authorization": f"Bearer {fleet.entrant_token(entrant_id())}"})
    assert anonymous.status_code == as_entrant.status_code == 401
    status = kakao_status(fleet, "waitlist")
    assert status["configured"] is True and status["issuer"] == fleet["waitlist"].base_env["KAKAO_ISSUER"]
    assert status["key_ids"], "keys held"


def test_a_token_from_the_fleets_clock_is_judged_by_the_fleets_clock(fleet: Fleet, kakao: httpx.Client,
                                                                    clock: Clock) -> None:
    """The fleet runs at 10:00 KST whatever the wall clock says: a token the stand-in issued an hour
    before the fleet's now and valid for 30 minutes has expired, one issued now has not."""
    an_hour_ago = int((clock.now() - timedelta(hours=1)).timestamp())
    stale = ok(kakao.post("/_mint", json={"sub": "78", "issued_at": an_hour_ago, "expires_in": 1800}))["id_token"]
    assert me(fleet, stale).status_code == 401
    assert me(fleet, fleet.entrant_token(78)).status_code == 200
