"""Draw life cycle: create (within the policy's bounds, seed §7.3), close entries (freezing the entry set and
fixing the seed commitment), read with its review against the policy in force."""

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.entry_set_store import EntrySetStore
from lottery_service.adapters.frozen_set_store import FrozenSetStore
from lottery_service.adapters.reopening_store import ReopeningStore
from lottery_service.domain import draw_engine
from lottery_service.domain.draw_lifecycle import DrawStatus, DrawStep, next_status, refuse_while_drawn
from lottery_service.domain.eligibility import Requirements, decide, decision_names, screen
from lottery_service.domain.event_review import EventSettings, Finding, refuse_out_of_bounds, review
from lottery_service.domain.frozen_set import FrozenEntries, decision_changes, frozen_set_hash
from lottery_service.adapters.models import Draw
from lottery_service.application.seeds import SeedSource
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.messaging.policy_cache import current_policy
from platform_shared.time.clock import Clock


@dataclass(frozen=True)
class ReviewedDraw:
    draw: Draw
    review: list[Finding]
    """Where the event now sits outside the policy in force (empty: within bounds)."""


class DrawService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], seeds: SeedSource, clock: Clock) -> None:
        self._sessions = sessions
        self._seeds = seeds
        self._units = UnitsOfWork(sessions, clock)

    async def create_draw(self, *, campaign_id: str, seats: int, waitlist_size: int, draw_at: datetime,
                          requires_intro: bool, requires_adgate: bool, weight_cap: float | None,
                          cooldown_hours: float, actor: str, intro: str = "") -> Draw:
        """An event outside the policy's bounds is refused, naming the field and the bound."""
        async with self._units.begin() as uow:
            policy_version, policy = await current_policy(uow.session)
            refuse_out_of_bounds(EventSettings(campaign_id, weight_cap, cooldown_hours, requires_adgate), policy,
                                 policy_version)
            draw = Draw(campaign_id=campaign_id, seats=seats, waitlist_size=waitlist_size, draw_at=draw_at,
                        requires_intro=requires_intro, requires_adgate=requires_adgate, weight_cap=weight_cap,
                        cooldown_hours=cooldown_hours, intro=intro, status=DrawStatus.OPEN)
            await DrawStore(uow.session).add(draw)
            await uow.audit(actor=actor, action="draw.create", target=f"draw:{campaign_id}", after=_snapshot(draw))
        return draw

    async def get_draw(self, campaign_id: str) -> ReviewedDraw:
        async with self._sessions() as session:
            draw = await DrawStore(session).get(campaign_id)
            _, policy = await current_policy(session)
        return ReviewedDraw(draw, review(draw.settings, policy))

    async def all_draws(self, *, needs_review: bool) -> list[ReviewedDraw]:
        """Every draw reviewed against the policy in force; or only those to review (seed §7.3): not yet
        drawn, and out of bounds."""
        async with self._sessions() as session:
            store = DrawStore(session)
            draws = await (store.not_drawn() if needs_review else store.all())
            _, policy = await current_policy(session)
        reviewed = [ReviewedDraw(draw, review(draw.settings, policy)) for draw in draws]
        return [r for r in reviewed if r.review or not needs_review]

    async def close_entries(self, campaign_id: str, actor: str) -> Draw:
        """Stop entries, freeze every entry's decision and weight and publish, together, the hash
        of that frozen set and the commitment SHA256(seed) that the revealed seed must match. Refused while
        a user holds two valid entries (legacy import): correct the duplicates first."""
        async with self._units.begin() as uow:
            store = DrawStore(uow.session)
            draw = await store.lock(campaign_id)
            status = next_status(campaign_id, draw.status, DrawStep.CLOSE_ENTRIES)
            before = _snapshot(draw)
            stored = await EntrySetStore(uow.session).entries(campaign_id, draw.frozen_set_id)
            requirements = Requirements(draw.requires_intro, draw.requires_adgate)
            decisions = decide(stored.columns, requirements)
            screen(stored.columns, requirements, decisions)  # refuses a user holding two valid entries
            if draw.status == DrawStatus.CORRECTING:  # the corrected set is fixed now: only now the new salt
                reopening = await ReopeningStore(uow.session).under_way(campaign_id)
                assert reopening is not None, "a correcting draw has its reopen under way"
                draw.seed_salt = secrets.token_hex(32)
                reopening.changes = decision_changes(stored.columns.user_ids, stored.frozen, decisions)
                reopening.new_commitment = draw_engine.commitment(self._seeds.seed_for(draw))
            seed, algorithm = self._seeds.seed_for(draw), draw_engine.CURRENT
            users, weights = stored.columns.user_ids, stored.columns.weights
            ids = self._seeds.draw_ids(campaign_id, users, algorithm)
            frozen = FrozenEntries(users, decisions, weights, frozen_set_hash(seed, algorithm, ids, decisions, weights),
                                   draw_ids=ids)
            draw.frozen_set_id = await FrozenSetStore(uow.session).add(campaign_id, algorithm.name, stored.ids, frozen)
            draw.status, draw.algorithm = status, algorithm.name
            draw.commitment, draw.frozen_set_hash = draw_engine.commitment(seed), frozen.set_hash
            counts = dict(Counter(decision_names(decisions)))
            await uow.audit(actor=actor, action="draw.close_entries", target=f"draw:{campaign_id}", before=before,
                            after={**_snapshot(draw), "decisions": counts})
        return draw


    async def correct_places(self, campaign_id: str, *, seats: int, waitlist_size: int, reason: str,
                             actor: str) -> Draw:
        """A wrong seat count or waitlist size (seed §3.5): corrected without a reopen, since it changes no key,
        only the cut. Not under a live run (roll it back first); audited with before and after."""
        async with self._units.begin() as uow:
            draw = await DrawStore(uow.session).lock(campaign_id)
            refuse_while_drawn(campaign_id, draw.status, "a seat or waitlist size correction")
            before = _snapshot(draw)
            draw.seats, draw.waitlist_size = seats, waitlist_size
            await uow.audit(actor=actor, action="draw.correct_places",
                            target=f"draw:{campaign_id}", reason=reason, before=before, after=_snapshot(draw))
        return draw


def _snapshot(draw: Draw) -> dict[str, object]:
    return {"seats": draw.seats, "waitlist_size": draw.waitlist_size, "draw_at": draw.draw_at.isoformat(),
            "status": str(draw.status), "requires_intro": draw.requires_intro,
            "requires_adgate": draw.requires_adgate, "weight_cap": draw.weight_cap,
            "cooldown_hours": draw.cooldown_hours, "commitment": draw.commitment,
            "frozen_set_hash": draw.frozen_set_hash, "algorithm": draw.algorithm}
