"""AdGate (seed §5): an entrant comes back from the sponsor landing with a signed proof of the visit, verified
once, for this entrant and campaign, shortly after the visit. A refusal is recorded with its reason and
counted (seed §5.3)."""

from datetime import timedelta

from prometheus_client import Counter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.entrant_store import EntrantStore
from lottery_service.domain.sponsor_return import VerifyFailure, check, proof_id
from platform_shared.contracts.sponsor_return import SponsorReturn
from platform_shared.errors import ForbiddenError
from platform_shared.time.clock import Clock

ADGATE_VERIFY_FAIL = Counter("adgate_verify_fail", "Sponsor returns refused, by reason (seed §5.3)", ["reason"])
ADGATE_VERIFY_PASS = Counter("adgate_verify_pass", "Sponsor returns verified and recorded (seed §5.3)")
# Every reason at 0 from start-up: a first burst of failures is then a rise Prometheus can see (increase() cannot
# see a series appear from nothing), which the SEV2 alert on the failure ratio needs (seed §13).
for _reason in VerifyFailure:
    ADGATE_VERIFY_FAIL.labels(_reason)


class VerifySponsorReturn:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, adgate_secret: bytes,
                 adgate_validity: timedelta) -> None:
        self._sessions = sessions
        self._clock = clock
        self._adgate_secret = adgate_secret
        self._adgate_validity = adgate_validity

    async def sponsor_return(self, campaign_id: str, kakao_user_id: int, visit: SponsorReturn,
                             signature: str) -> None:
        """A signed return from the sponsor landing proves the visit, once, and is counted. A refusal is
        recorded with its reason and counted, then answered 403."""
        now = self._clock.now()
        async with self._sessions.begin() as session:
            await DrawStore(session).get(campaign_id)
            store = EntrantStore(session)
            failure = check(self._adgate_secret, visit, signature, entrant=kakao_user_id, campaign_id=campaign_id,
                            now=now, validity=self._adgate_validity)
            if failure is None and not await store.use_proof(proof_id(signature), campaign_id, kakao_user_id, now):
                failure = VerifyFailure.REPLAYED
            if failure is None:
                utm = f"{visit.utm_source}/{visit.utm_medium}/{visit.utm_campaign}"
                await store.record_sponsor_visit(campaign_id, kakao_user_id, now, utm)
        if failure is None:
            ADGATE_VERIFY_PASS.inc()
            return
        async with self._sessions.begin() as session:
            EntrantStore(session).record_failure(campaign_id, kakao_user_id, failure, now)
        ADGATE_VERIFY_FAIL.labels(failure).inc()
        raise ForbiddenError(f"the sponsor visit could not be verified ({failure})", field="signature")
