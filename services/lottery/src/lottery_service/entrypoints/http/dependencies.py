"""What the lottery's routers share: the path parameters (bodies and answers are in
platform_shared/contracts/admin), and the use cases, given to the app by the composition root (bootstrap.py,
`provide`) and read back on each request, so the routers are module-level and built before any use case."""

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, FastAPI, Path, Request

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
from lottery_service.application.verify_run import VerifyRun
from lottery_service.application.verify_sponsor_return import VerifySponsorReturn
from platform_shared.contracts.policy import CAMPAIGN_ID_PATTERN

CampaignId = Annotated[str, Path(min_length=1, max_length=100, pattern=CAMPAIGN_ID_PATTERN)]
UserId = Annotated[int, Path(ge=1, lt=2**63)]

T = TypeVar("T")


def provide(app: FastAPI, *use_cases: object) -> None:
    """The use cases the routers call, one of each kind."""
    app.state.use_cases = {type(use_case): use_case for use_case in use_cases}


def _use_case(kind: type[T]) -> Callable[[Request], T]:
    def provided(request: Request) -> T:
        found = request.app.state.use_cases[kind]
        assert isinstance(found, kind), f"bootstrap.py provides a {kind.__name__}"
        return found

    return provided


Draws = Annotated[DrawQueries, Depends(_use_case(DrawQueries))]
Creation = Annotated[CreateDraw, Depends(_use_case(CreateDraw))]
Closing = Annotated[CloseEntries, Depends(_use_case(CloseEntries))]
Places = Annotated[CorrectPlaces, Depends(_use_case(CorrectPlaces))]
Reopening = Annotated[ReopenDraw, Depends(_use_case(ReopenDraw))]
DryRuns = Annotated[DryRun, Depends(_use_case(DryRun))]
Imports = Annotated[ImportEntries, Depends(_use_case(ImportEntries))]
Duplicates = Annotated[CorrectDuplicates, Depends(_use_case(CorrectDuplicates))]
Exclusions = Annotated[ExcludeEntrants, Depends(_use_case(ExcludeEntrants))]
Recalculations = Annotated[RecalculateWeights, Depends(_use_case(RecalculateWeights))]
Execution = Annotated[ExecuteDraw, Depends(_use_case(ExecuteDraw))]
Verification = Annotated[VerifyRun, Depends(_use_case(VerifyRun))]
Exports = Annotated[ExportRun, Depends(_use_case(ExportRun))]
Rollback = Annotated[RollbackRun, Depends(_use_case(RollbackRun))]
Pages = Annotated[CampaignPages, Depends(_use_case(CampaignPages))]
SponsorReturns = Annotated[VerifySponsorReturn, Depends(_use_case(VerifySponsorReturn))]
Entering = Annotated[Enter, Depends(_use_case(Enter))]
Report = Annotated[AdGateReport, Depends(_use_case(AdGateReport))]
