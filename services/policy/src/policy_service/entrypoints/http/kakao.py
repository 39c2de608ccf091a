"""The Kakao login outages the fleet saw (seed §9.3): the list, one outage's report by time window, and the
banners they set (public: the entrant pages read them)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from platform_shared.contracts.admin.kakao import BannerListOut, KakaoOutageOut, KakaoOutageReportOut
from platform_shared.contracts.admin.models import BIGINT_MAX
from platform_shared.time.clock import Clock
from platform_shared.web.use_cases import use_case
from policy_service.application.kakao_outages import KakaoOutageBanners, KakaoOutages

Outages = Annotated[KakaoOutages, use_case(KakaoOutages)]
Banners = Annotated[KakaoOutageBanners, use_case(KakaoOutageBanners)]



def kakao_router(clock: Clock) -> APIRouter:
    router = APIRouter(prefix="/kakao", tags=["kakao"])

    @router.get("/outages")
    async def list_outages(outages: Outages) -> list[KakaoOutageOut]:
        """Newest first (the last 100): when each began and ended, which replicas still see the issuer fail."""
        return await outages.list()

    @router.get("/outages/{outage_id}")
    async def outage_report(outage_id: Annotated[int, Path(ge=1, le=BIGINT_MAX)],
                            outages: Outages) -> KakaoOutageReportOut:
        """The outage's refused logins and tokens by time window and reason, every replica of every service
        added up (seed §9.3 "인증 실패 로그/시간대 보고")."""
        return await outages.report(outage_id)

    @router.get("/banners")
    async def kakao_banners(banners: Banners,
                            campaign_id: str | None = Query(default=None, max_length=100)) -> BannerListOut:
        """Public: the Kakao outage banner while one lasts (seed §9.2), then the retry banner (§9.3)."""
        return BannerListOut(banners=await banners.banners_in_force(clock.now(), campaign_id))

    return router
