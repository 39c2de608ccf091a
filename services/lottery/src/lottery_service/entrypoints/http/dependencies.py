"""What the lottery's routers share: the path parameters (bodies and answers are in
platform_shared/contracts/admin), and the use cases, given to the app by the composition root (bootstrap.py,
platform_shared/web/use_cases.py) and read back on each request, so the routers are module-level."""

from typing import Annotated

from fastapi import Path

from lottery_service.application.adgate_report import AdGateReport
from lottery_service.application.campaign_pages import CampaignPages
from lottery_service.application.close_entries import CloseEntries
from lottery_service.application.correct_duplicates import CorrectDuplicates
from lottery_service.application.correct_places import CorrectPlaces
from lottery_service.application.create_draw import CreateDraw
from lottery_service.application.draw_queries import DrawQueries
from lottery_service.application.dry_run import DryRun
from lottery_service.application.enter import Enter
from lottery_service.application.exclude_entrants import ExcludeEntrants
from lottery_service.application.execute_draw import ExecuteDraw
from lottery_service.application.export_run import ExportRun
from lottery_service.application.import_entries import ImportEntries
from lottery_service.application.recalculate_weights import RecalculateWeights
from lottery_service.application.reopen_draw import ReopenDraw
from lottery_service.application.rollback_run import RollbackRun
from lottery_service.application.run_results import RunResults
from lottery_service.application.send_notice import SendNotice
from lottery_service.application.verify_run import VerifyRun
from lottery_service.application.verify_sponsor_return import VerifySponsorReturn
from platform_shared.contracts.policy import CAMPAIGN_ID_PATTERN
from platform_shared.web.use_cases import use_case

CampaignId = Annotated[str, Path(min_length=1, max_length=100, pattern=CAMPAIGN_ID_PATTERN)]
UserId = Annotated[int, Path(ge=1, lt=2**63)]

Draws = Annotated[DrawQueries, use_case(DrawQueries)]
Creation = Annotated[CreateDraw, use_case(CreateDraw)]
Closing = Annotated[CloseEntries, use_case(CloseEntries)]
Places = Annotated[CorrectPlaces, use_case(CorrectPlaces)]
Reopening = Annotated[ReopenDraw, use_case(ReopenDraw)]
DryRuns = Annotated[DryRun, use_case(DryRun)]
Imports = Annotated[ImportEntries, use_case(ImportEntries)]
Duplicates = Annotated[CorrectDuplicates, use_case(CorrectDuplicates)]
Exclusions = Annotated[ExcludeEntrants, use_case(ExcludeEntrants)]
Recalculations = Annotated[RecalculateWeights, use_case(RecalculateWeights)]
Execution = Annotated[ExecuteDraw, use_case(ExecuteDraw)]
Verification = Annotated[VerifyRun, use_case(VerifyRun)]
Exports = Annotated[ExportRun, use_case(ExportRun)]
Rollback = Annotated[RollbackRun, use_case(RollbackRun)]
Results = Annotated[RunResults, use_case(RunResults)]
Pages = Annotated[CampaignPages, use_case(CampaignPages)]
SponsorReturns = Annotated[VerifySponsorReturn, use_case(VerifySponsorReturn)]
Entering = Annotated[Enter, use_case(Enter)]
Report = Annotated[AdGateReport, use_case(AdGateReport)]
Notices = Annotated[SendNotice, use_case(SendNotice)]
