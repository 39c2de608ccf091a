"""Kakao login in one process, for the unit tier: the stand-in issuer (platform_deploy/fake_kakao.py) served
through httpx's ASGI transport (no socket), and a service's `KakaoLogin` talking to it as it would over HTTPS."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from platform_deploy.fake_kakao import create_app
from platform_shared.auth.kakao import KakaoVerifier
from platform_shared.kakao.issuer import KakaoIssuer
from platform_shared.kakao.login import KakaoLogin
from platform_shared.kakao.watch import IssuerWatch
from platform_shared.time.clock import SystemClock

ISSUER, APP_KEY, REDIRECT_URI = "http://kakao.test", "unit-app-key", "https://entry.test/kakao/callback"


@dataclass
class KakaoWorld:
    kakao: KakaoLogin
    issuer: httpx.AsyncClient
    """The stand-in's own API (authorize page and test controls)."""

    async def mint(self, kakao_user_id: int, **claims: Any) -> str:
        response = await self.issuer.post("/_mint", json={"sub": str(kakao_user_id), **claims})
        response.raise_for_status()
        return str(response.json()["id_token"])

    async def behave(self, **behaviour: Any) -> None:
        (await self.issuer.post("/_behave", json=behaviour)).raise_for_status()

    async def rotate(self, *, retire_old: bool = False) -> None:
        (await self.issuer.post("/_rotate", json={"retire_old": retire_old})).raise_for_status()

    async def reset(self) -> None:
        (await self.issuer.post("/_reset")).raise_for_status()

    async def authorize(self, kakao_user_id: int, nonce: str, state: str = "st-1") -> str:
        """The entrant's browser at Kakao's authorize page: the code it is redirected back with."""
        response = await self.issuer.get("/oauth/authorize", params={
            "client_id": APP_KEY, "redirect_uri": REDIRECT_URI, "response_type": "code", "state": state,
            "nonce": nonce, "login_hint": str(kakao_user_id)})
        assert response.status_code == 302, response.text
        location = urlsplit(response.headers["location"])
        query = parse_qs(location.query)
        assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
        assert query["state"] == [state]
        return query["code"][0]


@asynccontextmanager
async def kakao_world(min_refresh_interval: timedelta = timedelta(0)) -> AsyncIterator[KakaoWorld]:
    """Refetches unthrottled by default (each test that needs the bound sets one)."""
    transport = httpx.ASGITransport(app=create_app(ISSUER, APP_KEY))
    clock = SystemClock()
    async with httpx.AsyncClient(transport=transport, base_url=ISSUER) as controls:
        watch = IssuerWatch(clock)
        issuer = KakaoIssuer(ISSUER, httpx.AsyncClient(transport=transport), watch)
        verifier = KakaoVerifier(issuer=ISSUER, audience=APP_KEY, keys=issuer, clock=clock,
                                 min_refresh_interval=min_refresh_interval)
        kakao = KakaoLogin(verifier, issuer, watch, app_key=APP_KEY, client_secret=None)
        try:
            yield KakaoWorld(kakao, controls)
        finally:
            await kakao.close()
