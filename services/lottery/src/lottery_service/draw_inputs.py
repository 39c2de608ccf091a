"""Everything a draw is computed from, gathered the same way by dry run, prepare and execute."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.entry_set_store import EntrySetStore
from lottery_service.domain.draw_engine import Algorithm, Entrants, commitment, entry_set_hash
from lottery_service.domain.draw_lifecycle import DrawStep, next_status
from lottery_service.domain.eligibility import Requirements, Screening, screen
from lottery_service.domain.event_review import entry_weight_cap
from lottery_service.domain.frozen_set import FrozenEntries, frozen_set_hash, refuse_unless_still_frozen
from lottery_service.models import Draw
from lottery_service.seeds import SeedSource
from platform_shared.errors import InvalidStateError
from platform_shared.messaging.policy_cache import current_policy


@dataclass(frozen=True)
class DrawInputs:
    draw: Draw
    seed: bytes
    policy_version: int
    weight_cap: float
    """The cap in force now for this event's new entries (shown, and bound into the run); the draw itself
    uses each entry's stored weight, capped at intake under the policy version the entry records."""
    screening: Screening
    algorithm: Algorithm
    """The algorithm the set was frozen under (fixed at close), or the current one for a set never frozen."""
    eligible: Entrants
    """The screening's eligible entrants with their draw ids under `algorithm`: what the engine draws on."""
    frozen: FrozenEntries | None = None
    """The set frozen at close (None while open, or for a draw closed before sets were frozen)."""

    @property
    def eligible_count(self) -> int:
        return len(self.eligible.user_ids)

    @property
    def entries_above_cap(self) -> int:
        """Eligible entries admitted under an earlier, higher cap: they keep their weight (SPEC §6, a new
        policy applies to new entries only) unless an approved recalculation applies this cap."""
        return int((self.eligible.weights > self.weight_cap).sum())

    def entry_set_hash(self) -> str:
        return entry_set_hash(self.eligible, self.algorithm)

    def refuse_unless_drawable(self) -> None:
        """The checks of the seed's pre-check (§3.1) that hold for prepare and for execute alike."""
        draw = self.draw
        next_status(draw.campaign_id, draw.status, DrawStep.PREPARE)  # a run starts from closed or drawing_ready
        if draw.commitment != commitment(self.seed):
            # The server secret changed since entries closed: this seed is not the one committed to.
            raise InvalidStateError("the draw seed no longer matches the published commitment; "
                                    "check LOTTERY_DRAW_SERVER_SECRET")
        if self.eligible_count == 0:
            raise InvalidStateError(f"draw {draw.campaign_id!r} has no eligible entries")


async def gather_draw_inputs(session: AsyncSession, campaign_id: str, seeds: SeedSource, *,
                             lock_draw: bool = False) -> DrawInputs:
    store = DrawStore(session)
    draw = await (store.lock(campaign_id) if lock_draw else store.get(campaign_id))
    policy_version, policy = await current_policy(session)
    seed, stored = seeds.seed_for(draw), await EntrySetStore(session).entries(campaign_id)
    requirements = Requirements(draw.requires_intro, draw.requires_adgate)
    algorithm = draw.draw_algorithm
    frozen = None
    if draw.frozen_set_hash is None:  # open, or closed before entry sets were frozen: screened as it stands
        screening = screen(stored.columns, requirements)
    else:
        decided = stored.decided
        users = stored.columns.user_ids
        recomputed = frozen_set_hash(seed, algorithm, seeds.draw_ids(campaign_id, users[decided], algorithm),
                                     stored.frozen[decided], stored.columns.weights[decided])
        refuse_unless_still_frozen(campaign_id, draw.frozen_set_hash, recomputed,
                                   undecided=int((~decided).sum()))
        screening = screen(stored.columns, requirements, stored.frozen)
        frozen = FrozenEntries(users, stored.frozen, stored.columns.weights, recomputed)
    eligible = seeds.entrants(campaign_id, screening.eligible.user_ids, screening.eligible.weights, algorithm)
    return DrawInputs(draw, seed, policy_version, entry_weight_cap(draw.settings, policy), screening, algorithm,
                      eligible, frozen)
