"""Everything a draw is computed from, gathered the same way by dry run, prepare and execute; and the set a
stored run was drawn from, as verify and export replay it."""

from dataclasses import dataclass

from lottery_service.adapters.models import Draw, DrawRun
from lottery_service.adapters.run_store import RunStore
from lottery_service.application.ports import DrawStores
from lottery_service.application.seeds import SeedSource
from lottery_service.domain.beacon import BeaconRound, key_seed
from lottery_service.domain.draw_engine import ALGORITHMS, Algorithm, Entrants, commitment, entry_set_hash
from lottery_service.domain.draw_lifecycle import DrawStep, next_status
from lottery_service.domain.eligibility import Requirements, Screening, screen
from lottery_service.domain.event_review import entry_weight_cap
from lottery_service.domain.frozen_set import FrozenEntries
from platform_shared.errors import InvalidStateError


@dataclass(frozen=True)
class DrawInputs:
    draw: Draw
    seed: bytes
    policy_version: int
    weight_cap: float
    """The cap in force now for this event's new entries (shown, and bound into the run); the draw itself
    uses each entry's stored weight, capped at intake under the policy version the entry records."""
    screening: Screening | None
    """Counts and pass rates over the entries table: always for a draw not frozen (its eligible set comes from
    it); for a frozen one only when asked (the dry run), since prepare and execute read the frozen set alone."""
    algorithm: Algorithm
    """The algorithm the set was frozen under (fixed at close), or the current one for a set never frozen."""
    eligible: Entrants
    """The eligible entrants with their draw ids under `algorithm`: what the engine draws on."""
    frozen: FrozenEntries | None = None
    """The set frozen at the latest close (None while open, or for a draw closed before sets were frozen)."""
    beacon: BeaconRound | None = None
    """The committed beacon round, fetched and verified, for an execution of a LOTTERY4 draw."""

    @property
    def key_seed(self) -> bytes:
        """The AES key of the draw: the seed mixed with the committed beacon round (LOTTERY4, docs/draw-algorithm.md
        §8.4), the seed itself before it."""
        if not self.algorithm.beacon:
            return self.seed
        assert self.beacon is not None, "a LOTTERY4 draw executes with its committed beacon round"
        return key_seed(self.seed, self.beacon.randomness)

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
        committed_seed = draw.commitment if draw.committed is None else draw.committed["seed_hash"]
        if committed_seed != commitment(self.seed):  # SHA-256(seed): the whole commitment before LOTTERY4
            # The server secret changed since entries closed: this seed is not the one committed to.
            raise InvalidStateError("the draw seed no longer matches the published commitment; "
                                    "check LOTTERY_DRAW_SERVER_SECRET")
        if self.eligible_count == 0:
            raise InvalidStateError(f"draw {draw.campaign_id!r} has no eligible entries")


async def gather_draw_inputs(stores: DrawStores, campaign_id: str, seeds: SeedSource, *,
                             lock_draw: bool = False, screened: bool = False) -> DrawInputs:
    """A frozen draw is drawn from its frozen set, one row: whatever happened to the entries table
    since the close (only possible behind the service's back) cannot reach the draw. A draw not frozen is
    screened from its entries as they stand."""
    draw = await (stores.draws.lock(campaign_id) if lock_draw else stores.draws.get(campaign_id))
    policy_version, policy = await stores.policy.current()
    seed, algorithm = seeds.seed_for(draw), draw.draw_algorithm
    requirements = Requirements(draw.requires_intro, draw.requires_adgate)
    frozen, screening = None, None
    if draw.frozen_set_id is None:  # open, or closed before sets were frozen: screened as the entries stand
        stored = await stores.entry_sets.entries(campaign_id, None)
        screening = screen(stored.columns, requirements)
        eligible = seeds.entrants(campaign_id, screening.eligible.user_ids, screening.eligible.weights, algorithm)
    else:
        frozen = await stores.frozen_sets.load(draw.frozen_set_id)
        eligible = seeds.drawn_from(campaign_id, frozen, algorithm)
        if screened:  # counts and pass rates over the entries the set froze: a row written since counts nowhere
            stored = await stores.entry_sets.entries(campaign_id, draw.frozen_set_id)
            screening = screen(stored.columns.where(stored.decided), requirements, stored.frozen[stored.decided])
    return DrawInputs(draw, seed, policy_version, entry_weight_cap(draw.settings, policy), screening, algorithm,
                      eligible, frozen)


async def drawn_entrants(runs: RunStore, seeds: SeedSource, run: DrawRun) -> Entrants:
    """The eligible set a run drew on, with the draw ids of its algorithm: what verify and export replay."""
    algorithm = ALGORITHMS[run.algorithm]
    if run.frozen_set_id is not None:
        frozen = await runs.frozen_set(run)
        assert frozen is not None, "a run refers to an existing set"
        return seeds.drawn_from(run.campaign_id, frozen, algorithm)
    stored = await runs.copied_inputs(run)
    return seeds.entrants(run.campaign_id, stored.user_ids, stored.weights, algorithm)
