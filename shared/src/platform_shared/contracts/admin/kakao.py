"""What the policy service's Kakao outage routes answer (seed §9.3 "인증 실패 로그/시간대 보고"): the outages the
fleet saw, each with its refused logins by time window summed over every replica, and the banners they set."""

from datetime import datetime

from platform_shared.contracts.admin.models import ResponseModel
from platform_shared.contracts.banners import Banner


class KakaoOutageOut(ResponseModel):
    id: int
    started_at: datetime
    """The start of the first window in which a replica saw the issuer fail."""
    ended_at: datetime | None
    """When the last replica that saw it fail saw it answer again; None while it lasts."""
    replicas_down: list[str]
    """service/instance of the replicas still seeing it fail."""


class FailureWindowOut(ResponseModel):
    window_start: datetime
    window_end: datetime
    failures: dict[str, int]
    """reason → refused logins and tokens in the window, every replica of every service added up."""
    total: int


class KakaoOutageReportOut(ResponseModel):
    outage: KakaoOutageOut
    windows: list[FailureWindowOut]
    """Oldest first; windows without a failure are left out."""
    totals: dict[str, int]
    replicas: list[str]
    """Every replica (service/instance) that reported a window of the outage."""


class BannerListOut(ResponseModel):
    banners: list[Banner]
