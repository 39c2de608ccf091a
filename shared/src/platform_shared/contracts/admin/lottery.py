"""What the lottery's routes answer where a use case composes the answer (stored rows are in lottery_rows.py,
request bodies in lottery_requests.py): one model per answer, with the field names, types and optionality the
routes have always sent."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from platform_shared.contracts.admin.models import ConfirmationToken, IsoMoment, ResponseModel


class RunPreparedOut(ResponseModel):
    """Step one of a run (seed §3.3): what execute will draw, bound to the token."""

    entry_set_hash: str
    policy_version: int
    weight_cap: float
    seats: int
    waitlist_size: int
    previous_run_id: UUID | None
    """The live or rolled-back run this one follows; execute refuses if another run came in between."""
    commitment: str | None
    campaign_id: str
    draw_at_kst: IsoMoment
    seed_display: str
    eligible: int
    entries_above_cap: int
    """Admitted under an earlier, higher cap: they keep their weight unless a recalculation is approved."""
    ranked: int
    """Winners plus waitlist: seats + waitlist size, or every eligible entry if fewer."""
    early_reason: str | None = None
    """Why it runs before `draw_at` (seed §3.1: the override, kept in the audit log); null when on time."""
    beacon_round: int | None = None
    """LOTTERY4: the committed drand round the keys also need — until it is published the seed gives no key."""
    beacon_due_at_kst: IsoMoment | None = None
    token: ConfirmationToken
    expires_at: IsoMoment


class ReplayDifference(ResponseModel):
    """The first rank where the stored run and its replay disagree (domain/replay.py). `stored_key` and
    `replayed_key` are sent only when both sides have the rank."""

    rank: int
    stored: int | None
    replayed: int | None
    stored_key: float | None = None
    replayed_key: float | None = None


class VerificationOut(ResponseModel):
    """Seed §3.4: the count check and the audit replay."""

    count_ok: bool
    expected_count: int
    stored_count: int
    entry_set_ok: bool
    replay_matches: bool
    first_difference: ReplayDifference | None


class RevealOut(ResponseModel):
    """After the draw: what an outsider needs to check it with tools/verify_draw.py (never the secret)."""

    run_id: UUID
    campaign_id: str
    draw_at_kst: IsoMoment
    seed: str
    algorithm: str
    commitment: str
    entry_set_hash: str
    seats: int
    waitlist_size: int
    weight_cap: float
    eligible_count: int
    status: str
    previous_run_id: UUID | None
    committed: dict[str, Any] | None = None
    """LOTTERY4: everything the commitment covers (docs/draw-algorithm.md §8.3); its hash is `commitment`."""
    beacon: dict[str, Any] | None = None
    """LOTTERY4: the committed beacon round, its randomness and signature."""


class RollbackPreparedOut(ResponseModel):
    """Step one of a rollback (seed §3.5): what will be voided."""

    run_id: UUID
    campaign_id: str
    reason: str
    winners_voided: int
    waitlist_voided: int
    token: ConfirmationToken
    expires_at: IsoMoment


class DecisionChangeOut(ResponseModel):
    """An entry whose decision a correction changed."""

    kakao_user_id: int
    from_: str = Field(alias="from")
    to: str
    weight_from: float | None = None
    """The weight before and after (a recalculation during the correction changes it without a decision)."""
    weight_to: float | None = None


class ReopeningOut(ResponseModel):
    number: int
    reason: str
    reopened_by: str
    reopened_at: IsoMoment
    burned_seed: str | None
    """The seed a reopen of a draw committed before LOTTERY4 burned; null from LOTTERY4 (the round moves)."""
    burned_commitment: str
    """The commitment in force when the draw was reopened."""
    new_commitment: str | None
    """Null until the draw closed again; the same as `burned_commitment` when the re-close changed nothing."""
    changed: bool | None = None
    """Whether the re-close changed the frozen set (null until closed again, and before LOTTERY4)."""
    changes: list[DecisionChangeOut] | None
    """Null until the draw closed again (and for a draw closed before sets were frozen)."""


class PlacesPreparedOut(ResponseModel):
    """Step one of a seat or waitlist correction after the close: a second operator confirms it."""

    campaign_id: str
    seats: int
    waitlist_size: int
    seats_before: int
    waitlist_size_before: int
    reason: str
    commitment: str | None
    """The commitment the change replaces."""
    then: str
    token: ConfirmationToken
    expires_at: IsoMoment


class PlacesRequestOut(PlacesPreparedOut):
    """A seat correction waiting for a second operator: what it changes, and who asked for it when."""

    requested_by: str
    requested_at: IsoMoment


class ReopenPreparedOut(ResponseModel):
    campaign_id: str
    reason: str
    status: str
    reopening: int
    """This reopen's number within the draw (a third and later needs the admin role)."""
    reopens_commitment: str | None
    then: str
    """What follows the confirmation, in words."""
    token: ConfirmationToken
    expires_at: IsoMoment


class ReopenedOut(ResponseModel):
    campaign_id: str
    status: str
    reopening: int
    """The reopen's number within the draw."""
    burned_commitment: str
    burned_seed: str | None = None
    """The revealed seed: sent by the confirmation that reopened; a repeated confirmation leaves it out."""


class HistogramOut(ResponseModel):
    edges: list[float]
    counts: list[int]


class ExclusionsOut(ResponseModel):
    invalid_duplicates: int
    blacklisted: int
    suspicious: int
    unmet_preconditions: int


class PassRatesOut(ResponseModel):
    """Null when no entry was subject to the precondition."""

    intro_first: float | None
    adgate: float | None


class DryRunOut(ResponseModel):
    """Seed §3.2: what the draw would look like; the sample is NOT FINAL."""

    campaign_id: str
    status: str
    seats: int
    waitlist_size: int
    draw_at_kst: IsoMoment
    draw_at_reached: bool
    """The pre-check's time item (seed §3.1), by the service's clock: until then a run needs `early_reason`."""
    seed_display: str
    policy_version: int
    weight_cap: float
    entries_above_cap: int
    eligible: int
    total_entries: int
    excluded: ExclusionsOut
    pass_rates: PassRatesOut
    adgate_exempt: int
    histogram: HistogramOut
    sample: list[int]
    sample_is_final: bool


class EntriesAddedOut(ResponseModel):
    added: int


class EntriesImportedOut(ResponseModel):
    imported: int


class DuplicatesCorrectedOut(ResponseModel):
    invalidated: int
    valid_entries_before: int
    valid_entries_after: int
    distinct_users: int


class RecalculationPreparedOut(ResponseModel):
    """Step one of a weight recalculation (seed §11.2): how many entries the policy's cap would change."""

    entries_changing: int
    policy_version: int
    weight_cap: float
    reason: str
    token: ConfirmationToken
    expires_at: IsoMoment


class RecalculatedOut(ResponseModel):
    entries_changed: int
    policy_version: int


class IntroOut(ResponseModel):
    campaign_id: str
    intro: str


class CommitmentOut(ResponseModel):
    """A draw's public commitment (docs/draw-algorithm.md §8.3): everything the result depends on, fixed at the
    close, before any key can be known."""

    campaign_id: str
    status: str
    algorithm: str | None
    commitment: str | None
    """Null while entries are open; before LOTTERY4, SHA-256 of the seed."""
    committed: dict[str, Any] | None
    frozen_set_hash: str | None
    beacon_round: int | None
    beacon_due_at_kst: IsoMoment | None
    beacon_round_published: bool | None
    """Whether the committed round's time has come (the keys exist from then on, for whoever holds the seed)."""
    beacon_waiting_since: datetime | None
    beacon_problem: str | None
    history: list[dict[str, Any]]
    """The campaign's entries of the public log, in order, each with its hash."""


class LogHeadOut(ResponseModel):
    seq: int
    """0 for an empty log."""
    hash: str | None
