"""The waitlist's promotion actions (SPEC §4, seed §4) with what they run on, for the entry points: the HTTP
routes, the scheduler the composition root starts, the tests. Each action is its own module."""

from uuid import UUID

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.time.clock import Clock
from waitlist_service.adapters.models import Offer
from waitlist_service.adapters.run_store import RunStore
from waitlist_service.application.answer_offer import AnswerOffer, answer_offer
from waitlist_service.application.ports import Sessions, Stores
from waitlist_service.application.promote import PromoteRun, promote_run
from waitlist_service.application.promote_due_runs import promote_due_runs, run_scheduler
from waitlist_service.application.promotion_pass import PassOutcome, Trigger
from waitlist_service.domain.answers import Answerer, LinkSecret
from waitlist_service.domain.seats import Answer


class PromotionService:
    def __init__(self, sessions: Sessions, clock: Clock, stores: Stores = RunStore,
                 link_secret: LinkSecret | None = None) -> None:
        """Without `link_secret` no answer link is valid; owners logged in with Kakao can still answer."""
        self._sessions = sessions
        self._clock = clock
        self._units = UnitsOfWork(sessions, clock)
        self._stores = stores
        self._link_secret = link_secret

    async def promote(self, run_id: UUID, trigger: Trigger, actor: str | None = None) -> PassOutcome:
        return await promote_run(PromoteRun(run_id, trigger, actor), self._units, self._stores, self._clock)

    async def answer(self, offer_id: UUID, answerer: Answerer, answer: Answer) -> Offer:
        return await answer_offer(AnswerOffer(offer_id, answerer, answer), self._sessions, self._stores,
                                  self._clock, self._link_secret)

    async def promote_due_runs(self) -> int:
        return await promote_due_runs(self._sessions, self._stores, self._clock)

    async def run_scheduler(self, interval_seconds: float | None) -> None:
        await run_scheduler(self._sessions, self._stores, self._clock, interval_seconds)
