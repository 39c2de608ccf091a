"""Who may be drawn (SPEC §3): invalidated duplicates, blacklist, suspicious entries and unmet
preconditions are filtered out, in that order; each excluded entry is counted under its first reason.

Each entry's decision is a reason code (`Decision`). Closing entries freezes them: from then on
the draw screens on the frozen decisions, never on flags or a blacklist that changed later."""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from lottery_service.domain.draw_engine import Entrants
from platform_shared.errors import InvalidStateError


@dataclass(frozen=True)
class EntryColumns:
    """Every entry of one draw as parallel arrays (one element per entry row)."""

    user_ids: np.ndarray  # uint64
    weights: np.ndarray  # float64
    intro_seen: np.ndarray  # bool
    adgate_verified: np.ndarray  # bool
    adgate_exempt: np.ndarray  # bool
    suspicious: np.ndarray  # bool
    invalid: np.ndarray  # bool
    blacklisted: np.ndarray  # bool

    def where(self, mask: np.ndarray) -> "EntryColumns":
        """The entries the mask selects, every column alike."""
        return EntryColumns(**{name: getattr(self, name)[mask] for name in self.__dataclass_fields__})

    @classmethod
    def from_rows(cls, rows: list[tuple[int, float, bool, bool, bool, bool, bool, bool]]) -> "EntryColumns":
        columns = list(zip(*rows, strict=True)) if rows else [()] * 8
        return cls(
            user_ids=np.array(columns[0], dtype=np.uint64), weights=np.array(columns[1], dtype=np.float64),
            **{name: np.array(values, dtype=bool) for name, values in zip(
                ("intro_seen", "adgate_verified", "adgate_exempt", "suspicious", "invalid", "blacklisted"),
                columns[2:], strict=True)},
        )


class Decision(StrEnum):
    ELIGIBLE = "eligible"
    EXEMPT = "eligible_exempt"
    """Eligible without a sponsor visit, by an AdGate exemption of the policy (seed §5.4)."""
    DUPLICATE = "duplicate"
    BLACKLIST = "blacklist"
    SUSPICIOUS = "suspicious"
    PRECONDITION = "precondition"


DRAWN = frozenset({Decision.ELIGIBLE, Decision.EXEMPT})
DECISIONS: tuple[Decision, ...] = tuple(Decision)
"""A decision's code is its index here (one byte in the frozen-set hash, docs/draw-algorithm.md §2)."""
CODE = {decision: code for code, decision in enumerate(DECISIONS)}
DRAWN_CODES = np.array(sorted(CODE[d] for d in DRAWN), dtype=np.int8)
UNDECIDED = -1


def decision_names(codes: np.ndarray) -> list[str]:
    if len(codes) and int(codes.min()) < 0:
        raise ValueError("an undecided entry has no decision name")
    return [DECISIONS[code].value for code in codes.tolist()]


def decision_codes(names: list[str]) -> np.ndarray:
    return np.array([CODE[Decision(name)] for name in names], dtype=np.int8)


@dataclass(frozen=True)
class Requirements:
    requires_intro: bool
    requires_adgate: bool


@dataclass(frozen=True)
class Screening:
    eligible: Entrants
    total_entries: int
    excluded_invalid: int
    excluded_blacklisted: int
    excluded_suspicious: int
    excluded_preconditions: int
    intro_pass_rate: float | None
    """Among valid entries: share that saw the intro first (None if the draw does not require it)."""
    adgate_pass_rate: float | None
    """Among valid entries: share verified by the sponsor visit or exempt by an AdGate flag."""
    adgate_exempt: int


def decide(entries: EntryColumns, requirements: Requirements) -> np.ndarray:
    """Each entry's decision code (int8, see `CODE`), under its first reason."""
    valid = ~entries.invalid
    allowed = valid & ~entries.blacklisted
    trusted = allowed & ~entries.suspicious
    preconditions = np.ones_like(valid)
    if requirements.requires_intro:
        preconditions &= entries.intro_seen
    exempt = np.zeros_like(valid)
    if requirements.requires_adgate:
        preconditions &= entries.adgate_verified | entries.adgate_exempt
        exempt = entries.adgate_exempt & ~entries.adgate_verified
    return np.select(
        [~valid, ~allowed, ~trusted, ~preconditions, exempt],
        [CODE[Decision.DUPLICATE], CODE[Decision.BLACKLIST], CODE[Decision.SUSPICIOUS], CODE[Decision.PRECONDITION],
         CODE[Decision.EXEMPT]], default=CODE[Decision.ELIGIBLE]).astype(np.int8)


def screen(entries: EntryColumns, requirements: Requirements, decisions: np.ndarray | None = None) -> Screening:
    """The eligible set and its counts, from each entry's decision code: decided now, or frozen at close."""
    decided = decide(entries, requirements) if decisions is None else decisions
    eligible = np.isin(decided, DRAWN_CODES)
    refuse_repeated_users(entries.user_ids[eligible])
    valid = decided != CODE[Decision.DUPLICATE]
    adgate_ok = entries.adgate_verified | entries.adgate_exempt
    return Screening(
        eligible=Entrants(entries.user_ids[eligible], entries.weights[eligible]),
        total_entries=len(entries.user_ids),
        excluded_invalid=int(np.count_nonzero(~valid)),
        excluded_blacklisted=int(np.count_nonzero(decided == CODE[Decision.BLACKLIST])),
        excluded_suspicious=int(np.count_nonzero(decided == CODE[Decision.SUSPICIOUS])),
        excluded_preconditions=int(np.count_nonzero(decided == CODE[Decision.PRECONDITION])),
        intro_pass_rate=_share(entries.intro_seen, valid) if requirements.requires_intro else None,
        adgate_pass_rate=_share(adgate_ok, valid) if requirements.requires_adgate else None,
        adgate_exempt=int(np.count_nonzero(decided == CODE[Decision.EXEMPT])),
    )


def refuse_repeated_users(eligible_ids: np.ndarray) -> None:
    """Only legacy imports can give a user two valid entries (the unique index covers the rest): the engine
    draws one key per user, so they are corrected first."""
    ordered = np.sort(eligible_ids)
    repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if len(repeated):
        raise InvalidStateError(f"{len(repeated)} users hold more than one valid entry (legacy import), e.g. "
                                f"{int(repeated[0])}: run correct-duplicates first", field="entries")


def _share(passed: np.ndarray, among: np.ndarray) -> float | None:
    total = int(np.count_nonzero(among))
    return None if total == 0 else int(np.count_nonzero(passed & among)) / total
