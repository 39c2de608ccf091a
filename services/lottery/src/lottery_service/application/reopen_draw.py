"""Reopening a closed draw for an eligibility correction (seed §3.5 "wrong filter"): two steps
(prepare → confirm with the token, the second with a fresh second factor), audited, and an entry of the public
commitment log. The next close freezes the corrected set: unchanged, it keeps the commitment and every key;
changed, it commits to a beacon round after it, so nobody choosing the corrections could know the keys they
lead to (docs/draw-algorithm.md §8.6). Reopening again and again until an outcome suits is what the log shows
to everyone, and a third reopen of a draw takes the top role. (A draw committed before LOTTERY4 burned its
seed instead: the seed in force is revealed with the reopen.)"""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.commitment_log_store import CommitmentLogStore
from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.models import DrawReopening
from lottery_service.adapters.reopening_store import ReopeningStore
from lottery_service.application.seeds import SeedSource
from lottery_service.domain.commitments import Kind
from lottery_service.domain.draw_lifecycle import DrawStep, next_status, refuse_reopen_beyond
from platform_shared.application.two_step import Acted, Reasoned, Requested, TwoStep
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.contracts.admin.lottery import ReopeningOut
from platform_shared.time.clock import Clock

REOPEN = TwoStep("draw.reopen", Reasoned)


class ReopenDraw:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], seeds: SeedSource, clock: Clock) -> None:
        self._sessions = sessions
        self._units = UnitsOfWork(sessions, clock)
        self._seeds = seeds

    async def prepare(self, campaign_id: str, reason: str, actor: str, role: str) -> dict[str, Any]:
        """Step one: what the reopen will do, and the token. Nothing changes yet."""
        async with self._units.begin() as uow:
            draw = await DrawStore(uow.session).get(campaign_id)
            next_status(campaign_id, draw.status, DrawStep.REOPEN)
            number = await ReopeningStore(uow.session).next_number(campaign_id)
            refuse_reopen_beyond(campaign_id, number, role)
            summary = {"campaign_id": campaign_id, "reason": reason, "status": draw.status, "reopening": number,
                       "reopens_commitment": draw.commitment,
                       "then": "correct eligibility (no new entries), close again: unchanged keeps every key; "
                               "changed commits to a later beacon round, the diff published"}
            return await REOPEN.request(uow, target=campaign_id, params=Reasoned(reason), shown=summary, actor=actor)

    async def confirm(self, campaign_id: str, token: str, actor: str, role: str) -> dict[str, Any]:
        """Step two: the draw is correcting, the reopen is in the public log. A draw committed before LOTTERY4
        burns its seed: it is answered (and published in the bundle)."""
        async with self._units.begin() as uow:

            async def reopen(request: Requested[Reasoned]) -> Acted:
                reopenings = ReopeningStore(uow.session)
                draw = await DrawStore(uow.session).lock(campaign_id)
                status = next_status(campaign_id, draw.status, DrawStep.REOPEN)
                number = await reopenings.next_number(campaign_id)
                refuse_reopen_beyond(campaign_id, number, role)
                assert draw.commitment is not None, "a closed draw has its commitment"
                burned = None if draw.committed is not None else self._seeds.seed_for(draw)
                reopenings.add(DrawReopening(campaign_id=campaign_id, number=number, reason=request.params.reason,
                                             burned_seed_hex=None if burned is None else burned.hex(),
                                             burned_commitment=draw.commitment, reopened_by=actor,
                                             reopened_at=uow.now))
                if draw.committed is not None:
                    await CommitmentLogStore(uow.session).append(campaign_id, uow.now, Kind.REOPENED, {
                        "reopening": number, "reason": request.params.reason, "commitment": draw.commitment})
                draw.status = status
                outcome = {"campaign_id": campaign_id, "status": str(status), "reopening": number,
                           "burned_commitment": draw.commitment}
                # A burned seed is answered (and published in the bundle) but not kept with the token.
                return Acted(outcome=outcome, audit_target=f"draw:{campaign_id}", reason=request.params.reason,
                             answer=None if burned is None else {"burned_seed": burned.hex()})

            confirmed = await REOPEN.confirm(uow, target=campaign_id, token=token, actor=actor, act=reopen)
        return dict(confirmed.answer)

    async def of_campaign(self, campaign_id: str) -> list[ReopeningOut]:
        """Every reopen of the draw, oldest first: reason, who, when, the burned seed and the commitment it
        burned, and once closed again the new commitment and each entry whose decision changed."""
        async with self._sessions() as session:
            await DrawStore(session).get(campaign_id)
            reopenings = await ReopeningStore(session).of_campaign(campaign_id)
        return [ReopeningOut.model_validate({
            "number": r.number, "reason": r.reason, "reopened_by": r.reopened_by,
            "reopened_at": r.reopened_at.isoformat(), "burned_seed": r.burned_seed_hex,
            "burned_commitment": r.burned_commitment, "new_commitment": r.new_commitment, "changes": r.changes,
            "changed": r.changed})
            for r in reopenings]
