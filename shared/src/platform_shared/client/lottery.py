"""The lottery's admin routes (seed §3): draws, entries, runs and the AdGate impact report."""

from dataclasses import dataclass
from typing import Any

from platform_shared.client.endpoint import Endpoint
from platform_shared.client.platform import ServiceClient
from platform_shared.contracts.admin.lottery import (
    CommitmentOut,
    DryRunOut,
    DuplicatesCorrectedOut,
    EntriesAddedOut,
    PlacesPreparedOut,
    PlacesRequestOut,
    RecalculatedOut,
    RecalculationPreparedOut,
    ReopenedOut,
    ReopeningOut,
    ReopenPreparedOut,
    RevealOut,
    RollbackPreparedOut,
    RunPreparedOut,
    VerificationOut,
)
from platform_shared.contracts.admin.lottery_requests import DrawIn, EntriesIn, PlacesIn, PrepareRunIn
from platform_shared.contracts.admin.lottery_rows import (
    PAGE,
    TOTAL_COUNT,
    DrawOut,
    EntryPageOut,
    ExemptionOut,
    ResultPageOut,
    RunOut,
    RunWithResultsOut,
)
from platform_shared.contracts.admin.models import ReasonIn, TokenIn
from platform_shared.contracts.admin.notices import NoticeIn, NoticeOut, NoticePreparedOut, NoticeSentOut

DRAWS: Endpoint[list[DrawOut]] = Endpoint("GET", "/draws", list[DrawOut], query=("needs_review", "offset", "limit"))
CREATE_DRAW: Endpoint[DrawOut] = Endpoint("POST", "/draws", DrawOut, DrawIn)
DRAW: Endpoint[DrawOut] = Endpoint("GET", "/draws/{campaign_id}", DrawOut)
CLOSE_ENTRIES: Endpoint[DrawOut] = Endpoint("POST", "/draws/{campaign_id}/close", DrawOut)
CORRECT_PLACES: Endpoint[DrawOut] = Endpoint("PUT", "/draws/{campaign_id}/places", DrawOut, PlacesIn)
PREPARE_PLACES: Endpoint[PlacesPreparedOut] = Endpoint(
    "POST", "/draws/{campaign_id}/places/prepare", PlacesPreparedOut, PlacesIn)
PLACES_REQUESTS: Endpoint[list[PlacesRequestOut]] = Endpoint(
    "GET", "/draws/{campaign_id}/places/requests", list[PlacesRequestOut])
CONFIRM_PLACES: Endpoint[DrawOut] = Endpoint("POST", "/draws/{campaign_id}/places/confirm", DrawOut, TokenIn)
COMMITMENT: Endpoint[CommitmentOut] = Endpoint("GET", "/draws/{campaign_id}/commitment", CommitmentOut)
DRY_RUN: Endpoint[DryRunOut] = Endpoint("POST", "/draws/{campaign_id}/dry-run", DryRunOut)
ADD_ENTRIES: Endpoint[EntriesAddedOut] = Endpoint("POST", "/draws/{campaign_id}/entries", EntriesAddedOut, EntriesIn)
ENTRIES: Endpoint[EntryPageOut] = Endpoint(
    "GET", "/draws/{campaign_id}/entries", EntryPageOut, query=("offset", "limit"))
PREPARE_RUN: Endpoint[RunPreparedOut] = Endpoint(
    "POST", "/draws/{campaign_id}/runs/prepare", RunPreparedOut, PrepareRunIn)
EXECUTE_RUN: Endpoint[RunOut] = Endpoint("POST", "/draws/{campaign_id}/runs/execute", RunOut, TokenIn)
RUN: Endpoint[RunWithResultsOut] = Endpoint("GET", "/runs/{run_id}", RunWithResultsOut)
RUN_RESULTS: Endpoint[ResultPageOut] = Endpoint(
    "GET", "/runs/{run_id}/results", ResultPageOut, query=("place", "offset", "limit"))
VERIFY_RUN: Endpoint[VerificationOut] = Endpoint("GET", "/runs/{run_id}/verify", VerificationOut)
REVEAL_RUN: Endpoint[RevealOut] = Endpoint("GET", "/runs/{run_id}/reveal", RevealOut)
EXPORT_RUN: Endpoint[None] = Endpoint("GET", "/runs/{run_id}/export.csv", None)
PREPARE_ROLLBACK: Endpoint[RollbackPreparedOut] = Endpoint(
    "POST", "/runs/{run_id}/rollback/prepare", RollbackPreparedOut, ReasonIn)
CONFIRM_ROLLBACK: Endpoint[RunOut] = Endpoint("POST", "/runs/{run_id}/rollback/confirm", RunOut, TokenIn)
ADGATE_EXEMPTIONS: Endpoint[list[ExemptionOut]] = Endpoint(
    "GET", "/adgate/exemptions", list[ExemptionOut], query=("campaign_id",))
WEIGHTS_PICTURE: Endpoint[None] = Endpoint("GET", "/draws/{campaign_id}/weights.svg", None)
# Corrections after close (seed §3.5, §11): each two-step one's confirmation is sensitive at the service.
PREPARE_REOPEN: Endpoint[ReopenPreparedOut] = Endpoint(
    "POST", "/draws/{campaign_id}/reopen/prepare", ReopenPreparedOut, ReasonIn)
CONFIRM_REOPEN: Endpoint[ReopenedOut] = Endpoint("POST", "/draws/{campaign_id}/reopen/confirm", ReopenedOut, TokenIn)
REOPENINGS: Endpoint[list[ReopeningOut]] = Endpoint("GET", "/draws/{campaign_id}/reopenings", list[ReopeningOut])
CORRECT_DUPLICATES: Endpoint[DuplicatesCorrectedOut] = Endpoint(
    "POST", "/draws/{campaign_id}/entries/correct-duplicates", DuplicatesCorrectedOut, ReasonIn)
PREPARE_RECALCULATION: Endpoint[RecalculationPreparedOut] = Endpoint(
    "POST", "/draws/{campaign_id}/weights/recalculate/prepare", RecalculationPreparedOut, ReasonIn)
CONFIRM_RECALCULATION: Endpoint[RecalculatedOut] = Endpoint(
    "POST", "/draws/{campaign_id}/weights/recalculate/confirm", RecalculatedOut, TokenIn)

# Notices to a segment of users (seed §1, §14): the confirmation is sensitive at the service.
PREPARE_NOTICE: Endpoint[NoticePreparedOut] = Endpoint("POST", "/notices/prepare", NoticePreparedOut, NoticeIn)
CONFIRM_NOTICE: Endpoint[NoticeSentOut] = Endpoint("POST", "/notices/confirm", NoticeSentOut, TokenIn)
NOTICES: Endpoint[list[NoticeOut]] = Endpoint("GET", "/notices", list[NoticeOut], query=("limit",))


@dataclass(frozen=True)
class DrawPage:
    total: int
    """Every draw of the list (`X-Total-Count`), whatever page this is."""
    rows: list[DrawOut]


class LotteryClient(ServiceClient):
    def draws(self, needs_review: bool | None = None) -> list[DrawOut]:
        """Every draw, by campaign id."""
        return self.http.call(DRAWS, query={"needs_review": needs_review})

    def draw_page(self, offset: int = 0, limit: int = PAGE, needs_review: bool | None = None) -> DrawPage:
        """`limit` draws from `offset` (≤ 500), and how many there are in all."""
        rows, headers = self.http.call_with_headers(
            DRAWS, query={"needs_review": needs_review, "offset": offset, "limit": limit})
        return DrawPage(int(headers[TOTAL_COUNT]), rows)

    def entries(self, campaign_id: str, offset: int = 0, limit: int = PAGE) -> EntryPageOut:
        """A page of the draw's entries (`limit` ≤ 500) by Kakao user id, with their total."""
        return self.http.call(ENTRIES, query={"offset": offset, "limit": limit}, campaign_id=campaign_id)

    def create_draw(self, body: DrawIn) -> DrawOut:
        return self.http.call(CREATE_DRAW, body)

    def draw(self, campaign_id: str) -> DrawOut:
        return self.http.call(DRAW, campaign_id=campaign_id)

    def close_entries(self, campaign_id: str) -> DrawOut:
        return self.http.call(CLOSE_ENTRIES, campaign_id=campaign_id)

    def correct_places(self, campaign_id: str, body: PlacesIn) -> DrawOut:
        """The seat count or waitlist size corrected while entries are open (seed §3.5)."""
        return self.http.call(CORRECT_PLACES, body, campaign_id=campaign_id)

    def prepare_places(self, campaign_id: str, body: PlacesIn) -> PlacesPreparedOut:
        """After the close (e.g. after a rollback, before its re-run): step one; a second operator confirms."""
        return self.http.call(PREPARE_PLACES, body, campaign_id=campaign_id)

    def places_requests(self, campaign_id: str) -> list[PlacesRequestOut]:
        """Seat corrections waiting for a second operator, as their askers saw them."""
        return self.http.call(PLACES_REQUESTS, campaign_id=campaign_id)

    def confirm_places(self, campaign_id: str, body: TokenIn) -> DrawOut:
        return self.http.call(CONFIRM_PLACES, body, campaign_id=campaign_id)

    def commitment(self, campaign_id: str) -> CommitmentOut:
        """The draw's public commitment and its history in the public log (no login needed)."""
        return self.http.call(COMMITMENT, campaign_id=campaign_id)

    def dry_run(self, campaign_id: str) -> DryRunOut:
        return self.http.call(DRY_RUN, campaign_id=campaign_id)

    def add_entries(self, campaign_id: str, body: EntriesIn) -> EntriesAddedOut:
        return self.http.call(ADD_ENTRIES, body, campaign_id=campaign_id)

    def prepare_run(self, campaign_id: str, body: PrepareRunIn | None = None) -> RunPreparedOut:
        """Before the draw's time only with `PrepareRunIn(early_reason=...)` (seed §3.1)."""
        return self.http.call(PREPARE_RUN, body or PrepareRunIn(), campaign_id=campaign_id)

    def execute_run(self, campaign_id: str, body: TokenIn) -> RunOut:
        return self.http.call(EXECUTE_RUN, body, campaign_id=campaign_id)

    def run(self, run_id: Any) -> RunWithResultsOut:
        return self.http.call(RUN, run_id=run_id)

    def run_results(self, run_id: Any, place: str = "winner", offset: int = 0, limit: int = PAGE) -> ResultPageOut:
        """A page of the run's winners or waitlist (`place`) in rank order (`limit` ≤ 500), with both totals: for
        a large run, where `run` answers every result at once."""
        return self.http.call(RUN_RESULTS, query={"place": place, "offset": offset, "limit": limit}, run_id=run_id)

    def verify_run(self, run_id: Any) -> VerificationOut:
        return self.http.call(VERIFY_RUN, run_id=run_id)

    def reveal_run(self, run_id: Any) -> RevealOut:
        return self.http.call(REVEAL_RUN, run_id=run_id)

    def prepare_rollback(self, run_id: Any, body: ReasonIn) -> RollbackPreparedOut:
        return self.http.call(PREPARE_ROLLBACK, body, run_id=run_id)

    def confirm_rollback(self, run_id: Any, body: TokenIn) -> RunOut:
        return self.http.call(CONFIRM_ROLLBACK, body, run_id=run_id)

    def adgate_exemptions(self, campaign_id: str | None = None) -> list[ExemptionOut]:
        return self.http.call(ADGATE_EXEMPTIONS, query={"campaign_id": campaign_id})

    def weights_picture(self, campaign_id: str) -> bytes:
        """The eligible entries' weight histogram as an SVG picture (seed §3.2)."""
        with self.http.stream(WEIGHTS_PICTURE, campaign_id=campaign_id) as response:
            return response.read()

    def prepare_reopen(self, campaign_id: str, body: ReasonIn) -> ReopenPreparedOut:
        """Step one of an eligibility correction after close (seed §3.5): what it burns, and the token."""
        return self.http.call(PREPARE_REOPEN, body, campaign_id=campaign_id)

    def confirm_reopen(self, campaign_id: str, body: TokenIn) -> ReopenedOut:
        return self.http.call(CONFIRM_REOPEN, body, campaign_id=campaign_id)

    def reopenings(self, campaign_id: str) -> list[ReopeningOut]:
        return self.http.call(REOPENINGS, campaign_id=campaign_id)

    def correct_duplicates(self, campaign_id: str, body: ReasonIn) -> DuplicatesCorrectedOut:
        """Seed §11.1: all but each user's earliest entry marked invalid, the totals re-counted."""
        return self.http.call(CORRECT_DUPLICATES, body, campaign_id=campaign_id)

    def prepare_recalculation(self, campaign_id: str, body: ReasonIn) -> RecalculationPreparedOut:
        """Seed §11.2: how many entries the policy's cap would change, and the token."""
        return self.http.call(PREPARE_RECALCULATION, body, campaign_id=campaign_id)

    def confirm_recalculation(self, campaign_id: str, body: TokenIn) -> RecalculatedOut:
        return self.http.call(CONFIRM_RECALCULATION, body, campaign_id=campaign_id)

    def prepare_notice(self, body: NoticeIn) -> NoticePreparedOut:
        """Who the notice reaches per channel, a sample, and the token; Refused by field otherwise."""
        return self.http.call(PREPARE_NOTICE, body)

    def confirm_notice(self, body: TokenIn) -> NoticeSentOut:
        return self.http.call(CONFIRM_NOTICE, body)

    def notices(self, limit: int | None = None) -> list[NoticeOut]:
        return self.http.call(NOTICES, query={"limit": limit})
