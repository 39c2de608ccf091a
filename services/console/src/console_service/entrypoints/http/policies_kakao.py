"""정책 / Policies, Kakao login outages (seed §9.3 "인증 실패 로그/시간대 보고"): the outages the fleet saw, each
with its start and end in KST (one still going told in words), and one outage's report by time window — each
window's KST minute range, its refused logins by reason and the total, every replica added up. Read-only: the
policy service records them."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.contracts.admin.models import INTEGER_MAX

router = APIRouter()


@router.get("/policies/kakao-outages")
def outages(request: Request, console: ConsoleDep, pages: PagesDep) -> Response:
    listed = sorted(console.services(request).policy.kakao_outages(), key=lambda o: o.started_at, reverse=True)
    return pages.render(request, "pages/policies/kakao_outages.html", outages=listed)


@router.get("/policies/kakao-outages/{outage_id}")
def outage(request: Request, console: ConsoleDep, pages: PagesDep,
           outage_id: Annotated[int, Path(ge=1, le=INTEGER_MAX)]) -> Response:
    report = console.services(request).policy.kakao_outage(outage_id)
    reasons = sorted({reason for window in report.windows for reason in window.failures} | set(report.totals))
    return pages.render(request, "pages/policies/kakao_outage.html", report=report, reasons=reasons)
