"""The entry set frozen when entries close (issue 13): every entry's decision and weight, hashed and published
with the seed commitment, so nobody who later sees the seed can steer who is eligible. Pure.

    line_i = pseudonym_i "," decision_i "," repr(weight_i) "\n"       (pseudonym: draw_engine.pseudonyms)
    hash   = hex(SHA-256(lines sorted as strings))

Every entry is a line, excluded ones too (an invalidated duplicate shares its user's pseudonym), so the
published bundle can show who was left out and why without naming anyone."""

import hashlib

import numpy as np

from lottery_service.domain.draw_engine import Algorithm, pseudonyms
from platform_shared.errors import InvalidStateError


def frozen_lines(seed: bytes, algorithm: Algorithm, user_ids: np.ndarray, decisions: np.ndarray,
                 weights: np.ndarray) -> list[str]:
    names = pseudonyms(seed, user_ids, algorithm)
    return sorted(f"{name},{decision},{weight!r}\n"
                  for name, decision, weight in zip(names, decisions.tolist(), weights.tolist(), strict=True))


def frozen_set_hash(seed: bytes, algorithm: Algorithm, user_ids: np.ndarray, decisions: np.ndarray,
                    weights: np.ndarray) -> str:
    return hashlib.sha256("".join(frozen_lines(seed, algorithm, user_ids, decisions, weights)).encode()).hexdigest()


def refuse_unless_still_frozen(campaign_id: str, published: str, recomputed: str, undecided: int) -> None:
    """The draw runs on the set frozen at close, or not at all: an entry that arrived or changed since
    (only possible behind the service's back) stops it, with what was found."""
    if undecided:
        raise InvalidStateError(f"{undecided} entries of {campaign_id!r} arrived after entries closed and were "
                                "never frozen: the draw runs only on the set frozen at close", field="entries")
    if recomputed != published:
        raise InvalidStateError(f"the entries of {campaign_id!r} no longer hash to the set frozen at close "
                                f"({published[:16]}…): a decision or weight changed since", field="entries")


def decision_changes(user_ids: np.ndarray, before: np.ndarray, after: np.ndarray) -> list[dict[str, object]]:
    """The entries a correction changed (a reopen's published diff): user, old decision, new decision."""
    changed = np.flatnonzero(before != after)
    return [{"kakao_user_id": int(user_ids[i]), "from": str(before[i]), "to": str(after[i])} for i in changed]
