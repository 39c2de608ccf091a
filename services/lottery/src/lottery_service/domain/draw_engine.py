"""The draw engine (SPEC §3): weighted sampling without replacement by exponential keys.

Pure: no database, no Kafka, no clock. The exact construction (what an outsider needs to re-implement
it) is in docs/draw-algorithm.md; `tools/verify_draw.py` is that re-implementation.

For each eligible entrant i with Kakao user id u_i and weight w_i:
    w'_i  = max(min(w_i, weight_cap), 1e-9)
    block = b"LOTTERY1" || u_i as 8-byte big-endian          (16 bytes)
    c_i   = AES-256-ECB(key = seed, block)                    (a keyed pseudo-random function)
    m_i   = first 8 bytes of c_i, big-endian, >> 11          (53 uniform bits)
    U_i   = (m_i + 0.5) / 2**53                               (strictly inside (0, 1))
    key_i = -ln(U_i) / w'_i
Sorted by (key, user id): the first K win, the next W form the waitlist, in that order.
U_i depends only on the seed and the entrant's id, so row order, process and library version
cannot change the result.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from lottery_service.domain.kst import kst_iso

BLOCK_TAG = b"LOTTERY1"
MIN_WEIGHT = 1e-9
_U_BITS = 53


@dataclass(frozen=True)
class Entrants:
    """Eligible entrants as parallel arrays (the engine never sees rows)."""

    user_ids: np.ndarray  # uint64
    weights: np.ndarray  # float64, as entered (capped inside the engine)

    def __post_init__(self) -> None:
        if self.user_ids.shape != self.weights.shape or self.user_ids.ndim != 1:
            raise ValueError("user_ids and weights must be 1-D arrays of equal length")
        if self.user_ids.dtype != np.uint64 or self.weights.dtype != np.float64:
            raise ValueError("user_ids must be uint64 and weights float64")


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


def commitment(seed: bytes) -> str:
    """Published when entries close; binds the seed without revealing it."""
    return hashlib.sha256(seed).hexdigest()


def effective_weights(weights: np.ndarray, weight_cap: float) -> np.ndarray:
    return np.maximum(np.minimum(weights, weight_cap), MIN_WEIGHT)


def uniforms(seed: bytes, user_ids: np.ndarray) -> np.ndarray:
    """U in (0, 1) for each user id: AES-256 of the id under the seed, all blocks in one call."""
    if len(seed) != 32:
        raise ValueError("the seed must be 32 bytes (a SHA-256 digest)")
    blocks = np.empty((len(user_ids), 2), dtype=">u8")
    blocks[:, 0] = int.from_bytes(BLOCK_TAG, "big")
    blocks[:, 1] = user_ids
    encryptor = Cipher(algorithms.AES(seed), modes.ECB()).encryptor()
    cipher = np.frombuffer(encryptor.update(blocks.tobytes()) + encryptor.finalize(), dtype=">u8")
    mantissas = (cipher[0::2] >> np.uint64(64 - _U_BITS)).astype(np.float64)
    return (mantissas + 0.5) / float(1 << _U_BITS)


def exponential_keys(seed: bytes, entrants: Entrants, weight_cap: float) -> np.ndarray:
    return -np.log(uniforms(seed, entrants.user_ids)) / effective_weights(entrants.weights, weight_cap)


def run_draw(entrants: Entrants, seed: bytes, seats: int, waitlist_size: int, weight_cap: float) -> DrawResult:
    """Winners (K smallest keys, in key order) then the waitlist (next W). O(N + (K+W) log(K+W))."""
    if seats < 1 or waitlist_size < 0:
        raise ValueError("seats must be >= 1 and waitlist_size >= 0")
    keys = exponential_keys(seed, entrants, weight_cap)
    take = min(seats + waitlist_size, len(keys))
    chosen = np.argpartition(keys, take - 1)[:take] if take < len(keys) else np.arange(len(keys))
    # Ties in key (practically impossible) fall back to the smaller user id: still order-independent.
    ordered = chosen[np.lexsort((entrants.user_ids[chosen], keys[chosen]))]
    return DrawResult(
        user_ids=entrants.user_ids[ordered],
        weights=effective_weights(entrants.weights[ordered], weight_cap),
        keys=keys[ordered],
        seats=min(seats, take),
    )


def entry_set_hash(entrants: Entrants) -> str:
    """SHA-256 over `user_id,weight` lines sorted by user id: the same set hashes the same."""
    order = np.argsort(entrants.user_ids, kind="stable")
    lines = "".join(f"{int(u)},{float(w)!r}\n" for u, w in zip(entrants.user_ids[order], entrants.weights[order],
                                                              strict=True))
    return hashlib.sha256(lines.encode()).hexdigest()
