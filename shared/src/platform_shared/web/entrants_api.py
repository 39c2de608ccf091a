"""Kakao login over HTTP (SPEC §9), for every service with an entrant edge (lottery, waitlist): the code
exchange, who am I, and the issuer's state for ops (seed §9: an outage must be visible)."""

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from platform_shared.auth.access import EDGE, ENTRANT, EVERYONE, role
from platform_shared.auth.kakao import KakaoNotConfiguredError
from platform_shared.kakao.login import KakaoLogin
from platform_shared.kakao.watch import OutageWindow
from platform_shared.web.access import AccessTable, EntrantId


def entrant_routes() -> AccessTable:
    """The routes `entrants_router` adds, classified once (merged into a service's access table)."""
    return {
        ("POST", "/auth/kakao/login"): EDGE,
        ("GET", "/me"): ENTRANT,
        ("GET", "/auth/kakao/status"): role(*EVERYONE),
    }


class KakaoLoginIn(BaseModel):
    # A code is a credential: unknown fields refused, and no validation error echoes a value.
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    code: str = Field(min_length=1, max_length=2048, description="The authorization code Kakao redirected with")
    redirect_uri: str = Field(min_length=1, max_length=2048, description="The redirect URI the login started with")
    nonce: str = Field(min_length=8, max_length=256, description="The nonce the login sent to Kakao's authorize page")


class KakaoLoginOut(BaseModel):
    id_token: str
    """Send it as 'Authorization: Bearer …' to entrant routes until `expires_at`."""
    kakao_user_id: int
    expires_at: datetime


class EntrantOut(BaseModel):
    kakao_user_id: int


class OutageOut(BaseModel):
    began: datetime
    ended: datetime | None


class KakaoStatusOut(BaseModel):
    configured: bool
    issuer: str | None = None
    issuer_up: bool | None = None
    """None until this process has asked the issuer anything."""
    outage_since: datetime | None = None
    last_outage: OutageOut | None = None
    last_problem: str | None = None
    login_failures: dict[str, int] = {}
    """Refused tokens and logins by reason, since this process started."""
    key_ids: list[str] = []
    """The issuer's keys this process holds (tokens signed by them verify without asking the issuer)."""


def entrants_router(kakao: KakaoLogin | None) -> APIRouter:
    router = APIRouter(tags=["entrants"])

    @router.post("/auth/kakao/login")
    async def log_in_with_kakao(body: KakaoLoginIn) -> KakaoLoginOut:
        """Exchange Kakao's authorization code for a verified ID token (503 with the outage banner while
        Kakao's token endpoint fails)."""
        if kakao is None:
            raise KakaoNotConfiguredError("Kakao login is not configured")
        result = await kakao.login(code=body.code, redirect_uri=body.redirect_uri, nonce=body.nonce)
        return KakaoLoginOut(id_token=result.id_token, kakao_user_id=result.kakao_user_id,
                             expires_at=result.expires_at)

    @router.get("/me")
    async def who_am_i(kakao_user_id: EntrantId) -> EntrantOut:
        """The entrant the bearer token names."""
        return EntrantOut(kakao_user_id=kakao_user_id)

    @router.get("/auth/kakao/status")
    async def kakao_status() -> KakaoStatusOut:
        """The issuer as this process sees it: up or since when down, the last outage, failures by reason."""
        if kakao is None:
            return KakaoStatusOut(configured=False)
        watch = kakao.watch
        return KakaoStatusOut(configured=True, issuer=kakao.issuer, issuer_up=watch.up,
                              outage_since=watch.outage_since, last_outage=_outage(watch.last_outage),
                              last_problem=watch.last_problem, login_failures=dict(watch.failures),
                              key_ids=kakao.verifier.key_ids)

    return router


def _outage(window: OutageWindow | None) -> OutageOut | None:
    return None if window is None else OutageOut(began=window.began, ended=window.ended)
