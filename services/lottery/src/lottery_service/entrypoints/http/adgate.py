"""The AdGate emergency stop's impact report over HTTP (seed §5.4)."""

from dataclasses import asdict

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from lottery_service.application.adgate_report import as_csv
from lottery_service.entrypoints.http.dependencies import Report
from platform_shared.contracts.admin.lottery_rows import ExemptionOut

router = APIRouter(prefix="/adgate", tags=["adgate"])


@router.get("/exemptions")
async def exemptions(report: Report, campaign_id: str | None = Query(default=None, max_length=100)
                     ) -> list[ExemptionOut]:
    """Entries admitted without a sponsor visit, per campaign and exemption (global bypass or a campaign
    exception): what switching an exception off leaves to review."""
    return [ExemptionOut(**asdict(row)) for row in await report.exemptions(campaign_id)]


@router.get("/exemptions.csv", response_class=PlainTextResponse)
async def exemptions_csv(report: Report, campaign_id: str | None = Query(default=None, max_length=100)
                         ) -> PlainTextResponse:
    return PlainTextResponse(as_csv(await report.exemptions(campaign_id)), media_type="text/csv")
