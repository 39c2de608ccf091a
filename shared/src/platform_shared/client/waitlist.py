"""The waitlist's operator routes (seed §4): a run's offers and status, a promotion pass now."""

from typing import Any

from platform_shared.client.endpoint import Endpoint
from platform_shared.client.platform import ServiceClient
from platform_shared.contracts.admin.waitlist import OfferOut, PromotionOut, RunStatusOut

OFFERS: Endpoint[list[OfferOut]] = Endpoint("GET", "/runs/{run_id}/offers", list[OfferOut])
RUN_STATUS: Endpoint[RunStatusOut] = Endpoint("GET", "/runs/{run_id}/status", RunStatusOut)
PROMOTE: Endpoint[PromotionOut] = Endpoint("POST", "/runs/{run_id}/promote", PromotionOut)


class WaitlistClient(ServiceClient):
    def offers(self, run_id: Any) -> list[OfferOut]:
        return self.http.call(OFFERS, run_id=run_id)

    def run_status(self, run_id: Any) -> RunStatusOut:
        return self.http.call(RUN_STATUS, run_id=run_id)

    def promote(self, run_id: Any) -> PromotionOut:
        return self.http.call(PROMOTE, run_id=run_id)
