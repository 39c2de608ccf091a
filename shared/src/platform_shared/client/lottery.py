"""The lottery's admin routes (seed §3): draws, entries, runs and the AdGate impact report."""

from typing import Any

from platform_shared.client.endpoint import Endpoint
from platform_shared.client.platform import ServiceClient
from platform_shared.contracts.admin.lottery import (
    DryRunOut,
    EntriesAddedOut,
    RevealOut,
    RollbackPreparedOut,
    RunPreparedOut,
    VerificationOut,
)
from platform_shared.contracts.admin.lottery_requests import DrawIn, EntriesIn, PlacesIn, PrepareRunIn
from platform_shared.contracts.admin.lottery_rows import DrawOut, ExemptionOut, RunOut, RunWithResultsOut
from platform_shared.contracts.admin.models import ReasonIn, TokenIn

DRAWS: Endpoint[list[DrawOut]] = Endpoint("GET", "/draws", list[DrawOut], query=("needs_review",))
CREATE_DRAW: Endpoint[DrawOut] = Endpoint("POST", "/draws", DrawOut, DrawIn)
DRAW: Endpoint[DrawOut] = Endpoint("GET", "/draws/{campaign_id}", DrawOut)
CLOSE_ENTRIES: Endpoint[DrawOut] = Endpoint("POST", "/draws/{campaign_id}/close", DrawOut)
CORRECT_PLACES: Endpoint[DrawOut] = Endpoint("PUT", "/draws/{campaign_id}/places", DrawOut, PlacesIn)
DRY_RUN: Endpoint[DryRunOut] = Endpoint("POST", "/draws/{campaign_id}/dry-run", DryRunOut)
ADD_ENTRIES: Endpoint[EntriesAddedOut] = Endpoint("POST", "/draws/{campaign_id}/entries", EntriesAddedOut, EntriesIn)
PREPARE_RUN: Endpoint[RunPreparedOut] = Endpoint(
    "POST", "/draws/{campaign_id}/runs/prepare", RunPreparedOut, PrepareRunIn)
EXECUTE_RUN: Endpoint[RunOut] = Endpoint("POST", "/draws/{campaign_id}/runs/execute", RunOut, TokenIn)
RUN: Endpoint[RunWithResultsOut] = Endpoint("GET", "/runs/{run_id}", RunWithResultsOut)
VERIFY_RUN: Endpoint[VerificationOut] = Endpoint("GET", "/runs/{run_id}/verify", VerificationOut)
REVEAL_RUN: Endpoint[RevealOut] = Endpoint("GET", "/runs/{run_id}/reveal", RevealOut)
EXPORT_RUN: Endpoint[None] = Endpoint("GET", "/runs/{run_id}/export.csv", None)
PREPARE_ROLLBACK: Endpoint[RollbackPreparedOut] = Endpoint(
    "POST", "/runs/{run_id}/rollback/prepare", RollbackPreparedOut, ReasonIn)
CONFIRM_ROLLBACK: Endpoint[RunOut] = Endpoint("POST", "/runs/{run_id}/rollback/confirm", RunOut, TokenIn)
ADGATE_EXEMPTIONS: Endpoint[list[ExemptionOut]] = Endpoint(
    "GET", "/adgate/exemptions", list[ExemptionOut], query=("campaign_id",))


class LotteryClient(ServiceClient):
    def draws(self, needs_review: bool | None = None) -> list[DrawOut]:
        return self.http.call(DRAWS, query={"needs_review": needs_review})

    def create_draw(self, body: DrawIn) -> DrawOut:
        return self.http.call(CREATE_DRAW, body)

    def draw(self, campaign_id: str) -> DrawOut:
        return self.http.call(DRAW, campaign_id=campaign_id)

    def close_entries(self, campaign_id: str) -> DrawOut:
        return self.http.call(CLOSE_ENTRIES, campaign_id=campaign_id)

    def correct_places(self, campaign_id: str, body: PlacesIn) -> DrawOut:
        """The seat count or waitlist size corrected, e.g. after a rollback and before its re-run (seed §3.5)."""
        return self.http.call(CORRECT_PLACES, body, campaign_id=campaign_id)

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
