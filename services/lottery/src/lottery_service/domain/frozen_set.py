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


def frozen_set_hash(seed: bytes, algorithm: Algorithm, user_ids: np.ndarray, decisions: np.ndarray,
                    weights: np.ndarray) -> str:
    return hashlib.sha256(frozen_records(seed, algorithm, user_ids, decisions, weights).tobytes()).hexdigest()


def decision_changes(user_ids: np.ndarray, before: np.ndarray, after: np.ndarray) -> list[dict[str, object]]:
    """The entries a correction changed (a reopen's published diff): user, old decision, new decision. An
    entry without an earlier decision (a draw closed before sets were frozen) has nothing to compare."""
    changed = np.flatnonzero((before != after) & (before != UNDECIDED))
    return [{"kakao_user_id": int(user), "from": old, "to": new} for user, old, new in zip(
        user_ids[changed].tolist(), decision_names(before[changed]), decision_names(after[changed]), strict=True)]
