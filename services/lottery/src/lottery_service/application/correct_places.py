"""Correcting a wrong seat count or waitlist size (seed §3.5). It changes no key, only the cut, but after the
close it changes a published commitment — and after a rollback, with the ranking known, "seats = my friend's
rank" is a choice. So while entries are open it is one audited step; after the close it is two steps with a
reason, confirmed by a *second* operator with a fresh second factor, and it commits anew in the public log
(docs/draw-algorithm.md §8.6). Not under a live run (roll it back first), not while a reopen corrects."""

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.commitment_log_store import CommitmentLogStore
from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.models import Draw
from lottery_service.application.draw_snapshot import draw_snapshot
from lottery_service.domain.commitments import Kind, commitment_of, with_places
from lottery_service.domain.draw_lifecycle import DrawStatus, refuse_places_change, refuse_while_drawn
from platform_shared.application.two_step import Acted, Requested, TwoStep
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.audit.confirmations import awaiting_confirmation
from platform_shared.errors import ConflictError, ForbiddenError, InvalidStateError
from platform_shared.time.clock import Clock


@dataclass(frozen=True)
class PlacesChange:
    """The command: the new counts, why, and the commitment they replace (a change in between refuses)."""

    seats: int
    waitlist_size: int
    reason: str
    commitment: str | None


PLACES = TwoStep("draw.correct_places", PlacesChange)


class CorrectPlaces:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._units = UnitsOfWork(sessions, clock)

    async def correct_places(self, campaign_id: str, *, seats: int, waitlist_size: int, reason: str,
                             actor: str) -> Draw:
        """While entries are open: nothing is committed yet, so one audited step."""
        async with self._units.begin() as uow:
            draw = await DrawStore(uow.session).lock(campaign_id)
            if draw.status != DrawStatus.OPEN:
                raise InvalidStateError(
                    f"draw {campaign_id!r} is {draw.status}: after the close, seats and waitlist size are committed "
                    "— correct them in two steps (POST /draws/{id}/places/prepare, then a second operator's "
                    "/places/confirm)", field="campaign_id")
            before = draw_snapshot(draw)
            draw.seats, draw.waitlist_size = seats, waitlist_size
            await uow.audit(actor=actor, action="draw.correct_places",
                            target=f"draw:{campaign_id}", reason=reason, before=before, after=draw_snapshot(draw))
        return draw

    async def prepare(self, campaign_id: str, *, seats: int, waitlist_size: int, reason: str,
                      actor: str) -> dict[str, Any]:
        """Step one: the change and the commitment it replaces, and the token a second operator confirms."""
        async with self._units.begin() as uow:
            draw = await DrawStore(uow.session).get(campaign_id)
            refuse_while_drawn(campaign_id, draw.status, "a seat or waitlist size correction")
            refuse_places_change(campaign_id, draw.status)
            change = PlacesChange(seats, waitlist_size, reason, draw.commitment)
            shown = {**asdict(change), "campaign_id": campaign_id, "seats_before": draw.seats,
                     "waitlist_size_before": draw.waitlist_size,
                     "then": "a second operator confirms with a fresh second factor; a new commitment is published"}
            return await PLACES.request(uow, target=campaign_id, params=change, shown=shown, actor=actor)

    async def awaiting(self, campaign_id: str) -> list[dict[str, Any]]:
        """The corrections asked for and not confirmed yet, each as its asker saw it, with who asked and when,
        so that the second operator reads what they approve."""
        async with self._units.begin() as uow:
            await DrawStore(uow.session).get(campaign_id)
            asked = await awaiting_confirmation(uow.session, action=PLACES.action, target=campaign_id, now=uow.now)
            return [{**request.prepared(request.summary), "requested_by": request.requested_by,
                     "requested_at": request.requested_at.isoformat()} for request in asked]

    async def confirm(self, campaign_id: str, token: str, actor: str) -> Draw:
        """Step two, by another operator: the counts change and the new commitment enters the public log."""
        async with self._units.begin() as uow:

            async def correct(request: Requested[PlacesChange]) -> Acted:
                if request.requested_by == actor:
                    raise ForbiddenError("a seat or waitlist change after the close needs a second operator: "
                                         f"{actor} asked for it, another operator confirms", field="token")
                draw = await DrawStore(uow.session).lock(campaign_id)
                refuse_while_drawn(campaign_id, draw.status, "a seat or waitlist size correction")
                refuse_places_change(campaign_id, draw.status)
                change = request.params
                if draw.commitment != change.commitment:
                    raise ConflictError("the draw's commitment changed since this correction was asked for; "
                                        "ask again", field="token")
                before = draw_snapshot(draw)
                draw.seats, draw.waitlist_size = change.seats, change.waitlist_size
                if draw.committed is not None:
                    previous = draw.commitment
                    draw.committed = with_places(draw.committed, change.seats, change.waitlist_size)
                    draw.commitment = commitment_of(draw.committed)
                    await CommitmentLogStore(uow.session).append(campaign_id, uow.now, Kind.PLACES_CHANGED, {
                        "reason": change.reason, "previous_commitment": previous, "commitment": draw.commitment,
                        "committed": draw.committed})
                return Acted(outcome={"campaign_id": campaign_id, "commitment": draw.commitment},
                             audit_target=f"draw:{campaign_id}", reason=change.reason, before=before,
                             after={**draw_snapshot(draw), "requested_by": request.requested_by})

            await PLACES.confirm(uow, target=campaign_id, token=token, actor=actor, act=correct)
            return await DrawStore(uow.session).get(campaign_id)
