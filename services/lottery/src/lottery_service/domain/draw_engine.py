"""The draw engine (SPEC §3): weighted sampling without replacement by exponential keys.

Pure: no database, no Kafka, no clock. docs/draw-algorithm.md states the construction for outsiders
and `tools/verify_draw.py` re-implements it with the standard library and `cryptography`.

For each eligible entrant i with draw id p_i and stored weight w_i (capped at intake by the policy
version the entry records; the draw never re-caps, so a later policy cannot change an old entry's odds),
under algorithm LOTTERY3 (runs record theirs):
    p_i   = first 8 bytes of AES-256-ECB(key = pseudonym key, b"LOTTERY3" || Kakao user id)   (never reversible
            without the campaign's pseudonym key, which the server keeps: the public bundle names p_i)
    w'_i  = max(w_i, 1e-9)
    block = b"LOTTERY3" || p_i as 8 bytes little-endian        (16 bytes)
    c_i   = AES-256-ECB(key = seed, block)                      (a keyed pseudo-random function)
    m_i   = (first 8 bytes of c_i, little-endian) >> 12        (52 uniform bits)
    U_i   = (m_i + 0.5) / 2**52                                 (in [2**-53, 1 - 2**-53]: never 0 or 1)
    key_i = -ln(U_i) / w'_i
Sorted by (key, p_i): the first K win, the next W form the waitlist, in that order.
LOTTERY2 was the same over the Kakao user id itself (p_i = u_i); LOTTERY1 also took 53 bits and divided by
2**53, so m = 2**53 - 1 gave U = 1.0 exactly, key -0.0: first whatever the weight.
U_i depends only on the seed and the entrant's own id, so row order, process and library version
cannot change who wins.
"""

import hashlib
import hmac
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from lottery_service.domain.kst import kst_iso

MIN_WEIGHT = 1e-9
KEY_TOLERANCE = 1e-12
"""Relative: how far a replayed key may sit from the stored one. `log` implementations differ in the last
bit (numpy's AVX-512 path from its others on 6,942 of 2,000,000 inputs), ~1e-16 relative; ranks never may."""
_CHUNK = 1 << 15  # entrants per AES call: 512 KB buffers that stay in cache


@dataclass(frozen=True)
class Algorithm:
    """How keys are derived; the name is also the AES block's tag. A run records its algorithm, so a run
    drawn under an older one is replayed and verified under that one."""

    name: str
    mantissa_bits: int
    pseudonymous: bool = False
    """Keys are drawn over each entrant's pseudonymous draw id (LOTTERY3 on), not the Kakao user id."""
    beacon: bool = False
    """Keys are drawn under SHA-256(seed || a public beacon round committed at close) (LOTTERY4 on,
    docs/draw-algorithm.md §8); the frozen set is hashed over draw ids, with no seed."""

    @property
    def tag(self) -> int:
        return int.from_bytes(self.name.encode(), "little")

    @property
    def scale(self) -> float:
        return float(1 << self.mantissa_bits)


LOTTERY1 = Algorithm("LOTTERY1", 53)
"""The first: U = (m + 0.5)/2**53 rounds to 1.0 for m = 2**53 - 1 (never seen in a run, but possible)."""
LOTTERY2 = Algorithm("LOTTERY2", 52)
"""(m + 0.5)/2**52 needs 53 bits, so it is exact, and its largest value 1 - 2**-53 is a double below 1."""
LOTTERY3 = Algorithm("LOTTERY3", 52, pseudonymous=True)
"""LOTTERY2 over pseudonymous draw ids: with the seed public, LOTTERY2's bundle pseudonym c_i could be computed
for every plausible Kakao id and matched; p_i needs the campaign's pseudonym key, which is never published."""
LOTTERY4 = Algorithm("LOTTERY4", 52, pseudonymous=True, beacon=True)
"""LOTTERY3 under a key no insider holds: the seed mixed with a drand round that did not exist when the set,
seats and waitlist were committed (docs/draw-algorithm.md §8)."""
CURRENT = LOTTERY4
ALGORITHMS = {algorithm.name: algorithm for algorithm in (LOTTERY1, LOTTERY2, LOTTERY3, LOTTERY4)}


def algorithm_named(name: str | None) -> Algorithm:
    """A draw's algorithm as recorded at its close; a draw not frozen yet will be drawn under the current one."""
    return ALGORITHMS[name] if name else CURRENT


class InvalidEntrantsError(ValueError):
    """Input the engine refuses to draw on: the message names the first offending entrant."""


@dataclass(frozen=True)
class Entrants:
    """Eligible entrants as parallel arrays (the engine never sees rows): unique ids, finite weights >= 0,
    and the draw ids keys are computed over (the user ids themselves unless given: LOTTERY1 and 2)."""

    user_ids: np.ndarray  # uint64
    weights: np.ndarray  # float64, as stored with each entry
    pseudonymous_ids: np.ndarray | None = None
    """uint64 draw ids of a pseudonymous algorithm, aligned with user_ids; None: keys go over the user ids."""
    heaviest: float = field(init=False, repr=False, compare=False)
    """The largest effective weight, found while validating (the draw's bound needs it: one pass less)."""

    @property
    def draw_ids(self) -> np.ndarray:
        return self.user_ids if self.pseudonymous_ids is None else self.pseudonymous_ids

    def __post_init__(self) -> None:
        if self.user_ids.shape != self.weights.shape or self.user_ids.ndim != 1 \
                or self.draw_ids.shape != self.user_ids.shape:
            raise InvalidEntrantsError("user_ids, weights and draw_ids must be 1-D arrays of equal length")
        if self.user_ids.dtype != np.uint64 or self.weights.dtype != np.float64 or self.draw_ids.dtype != np.uint64:
            raise InvalidEntrantsError("user_ids and draw_ids must be uint64 and weights float64")
        bad = np.flatnonzero(~np.isfinite(self.weights) | (self.weights < 0))
        if len(bad):
            raise InvalidEntrantsError(f"user {int(self.user_ids[bad[0]])}: weight {float(self.weights[bad[0]])!r} "
                                       f"is not a finite number >= 0 ({len(bad)} such entrants)")
        object.__setattr__(self, "heaviest", max(float(self.weights.max(initial=0.0)), MIN_WEIGHT))
        ordered = np.sort(self.user_ids)
        repeated = np.flatnonzero(ordered[1:] == ordered[:-1])
        if len(repeated):
            raise InvalidEntrantsError(f"user {int(ordered[repeated[0]])} appears more than once "
                                       f"({len(repeated)} repeated ids): one entrant, one key")
        if self.pseudonymous_ids is not None:
            ordered = np.sort(self.draw_ids)
            if np.any(ordered[1:] == ordered[:-1]):  # 64-bit pseudonyms: ~3e-8 for a million entrants
                raise InvalidEntrantsError("two entrants share a draw id: one entrant, one key")


@dataclass(frozen=True)
class DrawResult:
    """Ranked user ids with their effective weights and keys: winners first, then the waitlist."""

    user_ids: np.ndarray
    weights: np.ndarray
    keys: np.ndarray
    seats: int

    @property
    def winners(self) -> np.ndarray:
        return self.user_ids[: self.seats]

    @property
    def waitlist(self) -> np.ndarray:
        return self.user_ids[self.seats :]


def derive_seed(campaign_id: str, draw_at: datetime, server_secret: str) -> bytes:
    """SHA256(campaignId + drawAt(KST, ISO-8601) + serverSecret), as 32 raw bytes."""
    return hashlib.sha256(f"{campaign_id}{kst_iso(draw_at)}{server_secret}".encode()).digest()


def salted_seed(seed: bytes, salt: bytes, server_secret: str) -> bytes:
    """HMAC-SHA256(serverSecret, seed || salt): the seed after a reopen. The salt is drawn at random when the
    corrected set is frozen, so nobody choosing the corrections could know the keys they lead to; keyed by
    the secret, so the burned (public) seed and the stored salt alone do not give it away."""
    return hmac.new(server_secret.encode(), seed + salt, hashlib.sha256).digest()


def commitment(seed: bytes) -> str:
    """SHA256 over the 32 seed bytes; published when entries close, it binds the seed unseen."""
    return hashlib.sha256(seed).hexdigest()


def effective_weights(weights: np.ndarray) -> np.ndarray:
    """max(w, 1e-9): the stored weight as it is, kept off zero so every key is finite."""
    floored: np.ndarray = np.maximum(weights, MIN_WEIGHT)
    return floored


def mantissas(seed: bytes, user_ids: np.ndarray, algorithm: Algorithm = CURRENT) -> np.ndarray:
    """m_i as float64 (exact: at most 53 bits)."""
    out = np.empty(len(user_ids), dtype=np.float64)
    for start, first_words in _first_words(seed, user_ids, algorithm):
        out[start : start + len(first_words)] = first_words >> np.uint64(64 - algorithm.mantissa_bits)
    return out


def _first_words(seed: bytes, user_ids: np.ndarray, algorithm: Algorithm) -> Iterator[tuple[int, np.ndarray]]:
    """(offset, the first 8 bytes of each c_i as uint64) chunk by chunk: AES-256-ECB over cache-sized chunks
    whose buffers are reused, one AES call per 32k entrants, no per-entrant Python. A chunk's view is
    overwritten by the next one."""
    if len(seed) != 32:
        raise ValueError("the seed must be 32 bytes (a SHA-256 digest)")
    encryptor = Cipher(algorithms.AES(seed), modes.ECB()).encryptor()
    chunk = max(1, min(_CHUNK, len(user_ids)))
    blocks = np.empty((chunk, 2), dtype="<u8")
    blocks[:, 0] = algorithm.tag
    cipher = np.empty(2 * chunk + 2, dtype="<u8")  # update_into wants room for one extra block
    for start in range(0, len(user_ids), chunk):
        ids = user_ids[start : start + chunk]
        blocks[: len(ids), 1] = ids
        encryptor.update_into(blocks[: len(ids)].data.cast("B"), cipher.data.cast("B"))
        yield start, cipher[0 : 2 * len(ids) : 2]


def aes_blocks(seed: bytes, user_ids: np.ndarray, algorithm: Algorithm = CURRENT) -> np.ndarray:
    """c_i for every entrant (ids: draw ids), as rows of two little-endian uint64 (16 bytes each)."""
    blocks = np.empty((len(user_ids), 2), dtype="<u8")
    blocks[:, 0], blocks[:, 1] = algorithm.tag, user_ids
    cipher = Cipher(algorithms.AES(seed), modes.ECB()).encryptor().update(blocks.tobytes())
    return np.frombuffer(cipher, dtype="<u8").reshape(len(user_ids), 2)


def keys_from_mantissas(m: np.ndarray, weights: np.ndarray, algorithm: Algorithm = CURRENT) -> np.ndarray:
    keys: np.ndarray = -np.log((m + 0.5) / algorithm.scale) / weights
    return keys


def exponential_keys(seed: bytes, entrants: Entrants, algorithm: Algorithm = CURRENT) -> np.ndarray:
    """Every entrant's key (used by replay and export; the draw itself computes only what it needs)."""
    return keys_from_mantissas(mantissas(seed, entrants.draw_ids, algorithm), effective_weights(entrants.weights),
                               algorithm)


def keys_agree(stored: float, replayed: float) -> bool:
    return math.isclose(stored, replayed, rel_tol=KEY_TOLERANCE, abs_tol=0.0)


def run_draw(entrants: Entrants, seed: bytes, seats: int, waitlist_size: int,
             algorithm: Algorithm = CURRENT) -> DrawResult:
    """Winners (K smallest keys, in key order) then the waitlist (next W)."""
    if seats < 1 or waitlist_size < 0:
        raise ValueError("seats must be >= 1 and waitlist_size >= 0")
    if len(entrants.user_ids) == 0:
        raise InvalidEntrantsError("no eligible entrants: there is nobody to draw")
    take = min(seats + waitlist_size, len(entrants.user_ids))
    chosen, keys = _smallest_keys(seed, entrants, take, algorithm)
    # Keep every key up to the take-th smallest (ties at the edge included), then order by
    # (key, draw id): equal keys, practically never seen, are still ranked independently of row order.
    within = keys <= np.partition(keys, take - 1)[take - 1]
    chosen, keys = chosen[within], keys[within]
    ordered = np.argsort(keys)
    if np.any(keys[ordered[1:]] == keys[ordered[:-1]]):
        ordered = np.lexsort((entrants.draw_ids[chosen], keys))
    ordered = ordered[:take]
    chosen, keys = chosen[ordered], keys[ordered]
    return DrawResult(user_ids=entrants.user_ids[chosen], weights=effective_weights(entrants.weights[chosen]),
                      keys=keys, seats=min(seats, take))


def _smallest_keys(seed: bytes, entrants: Entrants, take: int,
                   algorithm: Algorithm) -> tuple[np.ndarray, np.ndarray]:
    """Indices and keys of a set holding the `take` smallest keys (maybe a few more); exact keys only where
    a bound says they may be small (docs/draw-algorithm.md §5): a threshold T from a sample (64 spread runs
    of neighbours: a strided one misses the cache per entrant); key <= T needs (1 - U)/w'_max <= T, an integer
    bound on c_i's first word checked per chunk while it is in cache. Too few inside T (a misleading sample,
    one weight far above the rest): every key is computed. The outcome is the same either way."""
    ids, n = entrants.draw_ids, len(entrants.draw_ids)
    if take < n // 64:
        runs, run_length = 64, max(1, n // (64 * 32))
        sample = (np.arange(runs)[:, None] * (n // runs) + np.arange(run_length)).ravel()
        sample_keys = keys_from_mantissas(mantissas(seed, ids[sample], algorithm),
                                          effective_weights(entrants.weights[sample]), algorithm)
        rank = min(len(sample_keys) - 1, 3 * take * len(sample_keys) // (2 * n) + 8)
        threshold = float(np.partition(sample_keys, rank)[rank])
        shift = 64 - algorithm.mantissa_bits
        bound = algorithm.scale - 0.5 - algorithm.scale * threshold * entrants.heaviest * (1 + 1e-9)  # margin: rounding
        least = np.uint64(max(0, math.floor(bound) - 1) << shift) if math.isfinite(bound) else np.uint64(0)
        found = [(start + hits, words[hits]) for start, words in _first_words(seed, ids, algorithm)
                 for hits in (np.flatnonzero(words >= least),)]
        candidates = np.concatenate([hits for hits, _ in found])
        m = (np.concatenate([words for _, words in found]) >> np.uint64(shift)).astype(np.float64)
        keys = keys_from_mantissas(m, effective_weights(entrants.weights[candidates]), algorithm)
        inside = keys <= threshold
        if np.count_nonzero(inside) >= take:
            return candidates[inside], keys[inside]
    keys = exponential_keys(seed, entrants, algorithm)
    chosen = np.argpartition(keys, take - 1)[:take] if take < n else np.arange(n)
    return chosen, keys[chosen]


def entry_set_hash(entrants: Entrants, algorithm: Algorithm = CURRENT) -> str:
    """The eligible set a run draws on. LOTTERY2: SHA-256 over 16-byte records, user id then weight (uint64
    and float64, little-endian), sorted by user id — milliseconds for a million. LOTTERY1 runs keep their
    text form: `user_id,repr(weight)` lines sorted by user id."""
    order = np.argsort(entrants.user_ids, kind="stable")
    if algorithm == LOTTERY1:
        lines = "".join(f"{int(u)},{float(w)!r}\n" for u, w in zip(
            entrants.user_ids[order].tolist(), entrants.weights[order].tolist(), strict=True))
        return hashlib.sha256(lines.encode()).hexdigest()
    records = np.empty(len(order), dtype=[("user_id", "<u8"), ("weight", "<f8")])
    records["user_id"], records["weight"] = entrants.user_ids[order], entrants.weights[order]
    return hashlib.sha256(records.tobytes()).hexdigest()
