"""The entrant edge of a service app, in one process (unit tier): entrant routes take a Kakao ID token and
nothing else, admin routes take an admin token and nothing else, and a Kakao outage answers 503 with the
policy's banner (seed §9.2). tests/test_kakao_fleet.py shows the same with real processes."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from platform_shared.auth.revocations import Revocations
from platform_shared.auth.tokens import SigningKey, TokenSigner, TokenVerifier, jwks_json
from platform_shared.kakao.login import KakaoLogin
from platform_shared.time.clock import SystemClock
from platform_shared.web.access import PUBLIC, AccessTable, Caller, Role, access_dependency, role
from platform_shared.web.entrants_api import entrant_routes, entrants_router
from platform_shared.web.errors import install_error_handlers
from tests.kakao_harness import REDIRECT_URI, KakaoWorld, kakao_world

BANNER = "카카오 점검 중: 응모는 잠시 후 다시 열립니다"
ADMIN_KEY = SigningKey.generate()


def service_app(kakao: KakaoLogin | None) -> FastAPI:
    """A service's app as ServiceRuntime.build_app wires it, minus database and broker."""
    clock = SystemClock()
    admin = APIRouter()

    @admin.get("/draws")
    async def list_draws(caller: Caller) -> dict[str, str]:
        return {"account": caller.account}

    @admin.get("/campaigns")
    async def browse() -> dict[str, str]:
        return {"browsing": "open"}

    table: AccessTable = {**entrant_routes(), ("GET", "/draws"): role(Role.ADMIN), ("GET", "/campaigns"): PUBLIC}

    async def banner() -> str:
        return BANNER

    app = FastAPI(dependencies=[access_dependency(table, TokenVerifier(jwks_json(ADMIN_KEY), clock), Revocations(),
                                                  clock, kakao)])
    install_error_handlers(app, banner)
    app.include_router(admin)
    app.include_router(entrants_router(kakao))
    return app


@dataclass
class Edge:
    kakao: KakaoWorld
    service: httpx.AsyncClient

    async def me(self, token: str | None) -> httpx.Response:
        return await self.service.get("/me", headers={"Authorization": f"Bearer {token}"} if token else {})


@pytest.fixture
async def edge() -> AsyncIterator[Edge]:
    async with kakao_world() as world, httpx.AsyncClient(
            transport=httpx.ASGITransport(app=service_app(world.kakao)), base_url="http://service.test") as service:
        yield Edge(world, service)


def admin_token(account: str = "kim") -> str:
    return TokenSigner(ADMIN_KEY, SystemClock()).access_token(account=account, role="admin", amr=("pwd", "otp"),
                                                              auth_time=SystemClock().now(), session_id="s")


async def test_an_entrant_route_answers_the_entrant_the_kakao_token_names(edge: Edge) -> None:
    answer = await edge.me(await edge.kakao.mint(555))
    assert (answer.status_code, answer.json()) == (200, {"kakao_user_id": 555})


async def test_the_login_route_exchanges_the_code_and_its_token_opens_entrant_routes(edge: Edge) -> None:
    code = await edge.kakao.authorize(4321, nonce="login-nonce-1")
    body = {"code": code, "redirect_uri": REDIRECT_URI, "nonce": "login-nonce-1"}
    await edge.kakao.behave(fail_token=True)
    down = await edge.service.post("/auth/kakao/login", json=body)
    assert (down.status_code, down.json()["banner"]) == (503, BANNER)

    await edge.kakao.reset()
    login = await edge.service.post("/auth/kakao/login", json=body)
    assert login.status_code == 200, login.text
    assert login.json()["kakao_user_id"] == 4321
    assert (await edge.me(login.json()["id_token"])).json() == {"kakao_user_id": 4321}


async def test_an_entrant_route_refuses_every_other_bearer(edge: Edge) -> None:
    refusals = {"no token": await edge.me(None), "garbage": await edge.me("not.a.token"),
                "an admin token": await edge.me(admin_token()),
                "another app's token": await edge.me(await edge.kakao.mint(555, audience="someone-else"))}
    assert {what: answer.status_code for what, answer in refusals.items()} == dict.fromkeys(refusals, 401)
    assert all(answer.headers["WWW-Authenticate"] == "Bearer" for answer in refusals.values())


async def test_admin_routes_still_take_admin_tokens_and_refuse_kakao_ones(edge: Edge) -> None:
    as_admin = await edge.service.get("/draws", headers={"Authorization": f"Bearer {admin_token()}"})
    as_entrant = await edge.service.get("/draws", headers={"Authorization": f"Bearer {await edge.kakao.mint(1)}"})
    assert (as_admin.status_code, as_admin.json()) == (200, {"account": "kim"})
    assert as_entrant.status_code == 401


async def test_an_outage_answers_503_with_the_banner_while_browsing_stays_open(edge: Edge) -> None:
    await edge.kakao.behave(fail_jwks=True)
    await edge.kakao.rotate()
    refused = await edge.me(await edge.kakao.mint(556))
    assert refused.status_code == 503
    assert refused.json()["banner"] == BANNER and refused.json()["error"] == "IssuerUnavailableError"
    assert (await edge.service.get("/campaigns")).status_code == 200

    status = (await edge.service.get("/auth/kakao/status",
                                     headers={"Authorization": f"Bearer {admin_token()}"})).json()
    assert status["issuer_up"] is False and status["outage_since"] is not None
    assert status["login_failures"] == {"issuer_unavailable": 1}

    await edge.kakao.reset()
    assert (await edge.me(await edge.kakao.mint(556))).status_code == 200
    status = (await edge.service.get("/auth/kakao/status",
                                     headers={"Authorization": f"Bearer {admin_token()}"})).json()
    assert status["issuer_up"] is True and status["last_outage"]["ended"] is not None


async def test_without_a_configured_issuer_entrant_routes_say_so() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(None)),
                                 base_url="http://service.test") as service:
        me = await service.get("/me", headers={"Authorization": "Bearer x.y.z"})
        login = await service.post("/auth/kakao/login", json={"code": "c", "redirect_uri": "https://e.test/cb",
                                                              "nonce": "n" * 16})
        browsing = await service.get("/campaigns")
    assert me.status_code == login.status_code == 503
    assert me.json()["message"].endswith("Kakao login is not configured")
    assert "banner" not in me.json(), "not an outage: nothing will come back by waiting"
    assert browsing.status_code == 200
