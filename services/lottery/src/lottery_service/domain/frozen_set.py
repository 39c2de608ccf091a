"""The entry set frozen when entries close: every entry's decision and weight, hashed and published
with the seed commitment, so nobody who later sees the seed can steer who is eligible. Pure.

    record_i = c_i (16 bytes, the entry's pseudonym) || decision code (1 byte) || weight (float64, little-endian)
    hash     = hex(SHA-256(the records sorted by (c_i, code, weight), concatenated))

Every entry is a record, excluded ones too (an invalidated duplicate shares its user's pseudonym), so the
published bundle can show who was left out and why without naming anyone. Fixed-width records hash a
million entries in milliseconds, where text lines took a second."""

import hashlib
from dataclasses import dataclass
from uuid import UUID

import numpy as np

from lottery_service.domain.draw_engine import Algorithm, aes_blocks
from lottery_service.domain.eligibility import DRAWN_CODES, UNDECIDED, decision_names


@dataclass(frozen=True)
class FrozenEntries:
    """Every entry of the campaign as frozen at close (one element per entry row): what a run is drawn
    from, kept whole (never rewritten) so its bundle still verifies after a later reopen."""

    user_ids: np.ndarray
    decisions: np.ndarray
    """int8 decision codes (domain/eligibility.py `CODE`)"""
    weights: np.ndarray
    set_hash: str
    draw_ids: np.ndarray | None = None
    """uint64 draw ids under the set's algorithm, as computed at close (None: derive them again)."""
    set_id: UUID | None = None
    """The stored set's id (None: a run's copy from before sets were stored whole)."""

    @property
    def drawn(self) -> np.ndarray:
        """Which entries the draw draws on: eligible, or eligible by an exemption."""
        drawn: np.ndarray = np.isin(self.decisions, DRAWN_CODES)
        return drawn


RECORD = np.dtype([("pseudonym", "S16"), ("decision", "i1"), ("weight", "<f8")])


def frozen_records(seed: bytes, algorithm: Algorithm, user_ids: np.ndarray, decisions: np.ndarray,
                   weights: np.ndarray) -> np.ndarray:
    """The records in hash order. Sorted as plain columns, then packed: gathering packed 25-byte records
    costs more than the sort itself."""
    blocks = aes_blocks(seed, user_ids, algorithm)
    big_endian = blocks.byteswap()  # byte order of the pseudonym = order of its halves read big-endian
    order = np.argsort(big_endian[:, 0])
    first = big_endian[order, 0]
    if np.any(first[1:] == first[:-1]):  # a user's invalidated duplicates share a pseudonym: sort fully
        order = np.lexsort((weights, decisions, big_endian[:, 1], big_endian[:, 0]))
    records = np.empty(len(user_ids), dtype=RECORD)
    records["pseudonym"] = np.ascontiguousarray(blocks[order]).view("S16").ravel()
    records["decision"], records["weight"] = decisions[order], weights[order]
    return records


DRAW_ID_RECORD = np.dtype([("draw_id", "S8"), ("decision", "i1"), ("weight", "<f8")])


def draw_id_records(draw_ids: np.ndarray, decisions: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """LOTTERY4's 17-byte records (docs/draw-algorithm.md §8.2): the draw id's 8 little-endian bytes, code,
    weight, sorted by those bytes (= the pseudonym's hex), then code, then weight. No seed is involved, so
    the set is hashed before the beacon round that keys it exists."""
    raw = draw_ids.astype("<u8")
    order = np.lexsort((weights, decisions, raw.byteswap()))  # byte order of the pseudonym, then code, weight
    records = np.empty(len(raw), dtype=DRAW_ID_RECORD)
    records["draw_id"] = np.ascontiguousarray(raw[order]).view("S8")
    records["decision"], records["weight"] = decisions[order], weights[order]
    return records


def frozen_set_hash(seed: bytes, algorithm: Algorithm, draw_ids: np.ndarray, decisions: np.ndarray,
                    weights: np.ndarray) -> str:
    """LOTTERY4 hashes records over draw ids (the seed is not used); earlier ones over c_i under the seed."""
    if algorithm.beacon:
        records = draw_id_records(draw_ids, decisions, weights)
    else:
        records = frozen_records(seed, algorithm, draw_ids, decisions, weights)
    return hashlib.sha256(records.tobytes()).hexdigest()


def changed_rows(decisions_before: np.ndarray, weights_before: np.ndarray, decisions_after: np.ndarray,
                 weights_after: np.ndarray) -> np.ndarray:
    """The rows a correction changed, decision or weight; a row without an earlier decision (a draw closed before
    sets were frozen) has nothing to compare."""
    changed: np.ndarray = np.flatnonzero(((decisions_before != decisions_after) | (weights_before != weights_after))
                                         & (decisions_before != UNDECIDED))
    return changed


def corrections(draw_ids: np.ndarray, decisions_before: np.ndarray, weights_before: np.ndarray,
                decisions_after: np.ndarray, weights_after: np.ndarray) -> list[dict[str, str]]:
    """A re-close's public change list (§8.5): every entry row whose decision or weight the correction changed,
    under its pseudonym, sorted so that the list itself says nothing about the rows' order. Rows aligned."""
    changed = changed_rows(decisions_before, weights_before, decisions_after, weights_after)
    names = draw_ids[changed].astype("<u8").tobytes().hex()
    rows = [{"pseudonym": names[16 * i : 16 * i + 16], "from": old, "to": new,
             "weight_from": repr(float(w_old)), "weight_to": repr(float(w_new))}
            for i, (old, new, w_old, w_new) in enumerate(zip(
                decision_names(decisions_before[changed]), decision_names(decisions_after[changed]),
                weights_before[changed].tolist(), weights_after[changed].tolist(), strict=True))]
    # Weights compare as numbers (§8.5): a legacy duplicate's two rows may differ only there ("9.0" < "10.0").
    return sorted(rows, key=lambda r: (r["pseudonym"], r["from"], r["to"], float(r["weight_from"]),
                                       float(r["weight_to"])))


def decision_changes(user_ids: np.ndarray, before: np.ndarray, after: np.ndarray, weights_before: np.ndarray,
                     weights_after: np.ndarray) -> list[dict[str, object]]:
    """The entries a correction changed, as operators read them (GET /draws/{id}/reopenings): user, old and new
    decision and weight. An entry without an earlier decision (a draw closed before sets were frozen) has
    nothing to compare."""
    changed = changed_rows(before, weights_before, after, weights_after)
    return [{"kakao_user_id": int(user), "from": old, "to": new, "weight_from": w_old, "weight_to": w_new}
            for user, old, new, w_old, w_new in zip(
                user_ids[changed].tolist(), decision_names(before[changed]), decision_names(after[changed]),
                weights_before[changed].tolist(), weights_after[changed].tolist(), strict=True)]
