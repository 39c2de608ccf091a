"""What a draw commits to in public and the public log that binds it (docs/draw-algorithm.md §8). Pure.

At close the draw publishes `committed` — the seed's hash, the frozen set's hash, seats, waitlist size,
weight cap, algorithm and the beacon round the keys will be mixed with — and its hash, the commitment. Every
step after it (a reopen, a re-close, a seat change, a run, a rollback) is an entry of one append-only hash
chain across all campaigns, each entry also chained to its campaign's previous one, so nothing can be
dropped, reordered or replaced without the hashes an outsider already holds stopping to match."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import numpy as np

from lottery_service.domain.draw_engine import DrawResult, Entrants, commitment

ZERO_HASH = "0" * 64
"""What the first entry of the log (and of each campaign) names as its previous one."""


class Kind(StrEnum):
    CLOSED = "closed"
    REOPENED = "reopened"
    RECLOSED = "reclosed"
    PLACES_CHANGED = "places_changed"
    RUN = "run"
    ROLLED_BACK = "rolled_back"


def canonical(value: object) -> bytes:
    """The bytes a hash is taken over: sorted keys, no spaces, UTF-8 (§8.1). Never holds a float."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def hash_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seed_hash(seed: bytes) -> str:
    """SHA-256 of the seed: what LOTTERY1–3 published as the whole commitment, part of it from LOTTERY4."""
    return commitment(seed)


def weight_text(weight: float) -> str:
    """A weight inside a hashed object: Python's repr of the double (hashed objects hold no floats)."""
    return repr(float(weight))


def committed_record(*, algorithm: str, beacon: Mapping[str, Any], campaign_id: str, draw_at_kst: str,
                     frozen_set_hash: str, seats: int, waitlist_size: int, seed: bytes,
                     weight_cap: float) -> dict[str, Any]:
    """Everything the result depends on, fixed at close (§8.3): `beacon` names the chain and the round."""
    return {"algorithm": algorithm, "beacon": dict(beacon), "campaign_id": campaign_id, "draw_at_kst": draw_at_kst,
            "frozen_set_hash": frozen_set_hash, "seats": seats, "seed_hash": seed_hash(seed),
            "waitlist_size": waitlist_size, "weight_cap": weight_text(weight_cap)}


def with_places(committed: Mapping[str, Any], seats: int, waitlist_size: int) -> dict[str, Any]:
    """The commitment after a seat or waitlist correction: the same set, seed and round, new counts."""
    return {**committed, "seats": seats, "waitlist_size": waitlist_size}


def round_due(committed: Mapping[str, Any]) -> datetime:
    """When the committed beacon round is published: genesis_time + (round − 1) × period (§8.3)."""
    beacon = committed["beacon"]
    return datetime.fromtimestamp(beacon["genesis_time"] + (beacon["round"] - 1) * beacon["period"], UTC)


def commitment_of(committed: Mapping[str, Any]) -> str:
    return hash_hex(canonical(dict(committed)))


def ranked_draw_ids(eligible: Entrants, ranked: DrawResult) -> np.ndarray:
    """The ranked entrants' draw ids, in rank order (what the result hash is over)."""
    order = np.argsort(eligible.user_ids, kind="stable")
    at = order[np.searchsorted(eligible.user_ids[order], ranked.user_ids)]
    ids: np.ndarray = eligible.draw_ids[at]
    return ids


def result_hash(ranked_draw_ids: np.ndarray) -> str:
    """Binds winners and the waitlist in rank order: the ranked draw ids, 8 bytes little-endian each."""
    return hash_hex(np.ascontiguousarray(ranked_draw_ids, dtype="<u8").tobytes())


@dataclass(frozen=True)
class Link:
    """Where a chain ends: an entry's position (log sequence, or the campaign's entry number) and hash."""

    position: int
    hash: str


def entry_hash(entry: Mapping[str, Any]) -> str:
    """An entry's hash, over everything but the hash itself."""
    return hash_hex(canonical({key: value for key, value in entry.items() if key != "hash"}))


def log_entry(*, head: Link | None, campaign_last: Link | None, campaign_id: str, at_kst: str, kind: Kind,
              record: Mapping[str, Any]) -> dict[str, Any]:
    """The next entry of the log (§8.5), chained to the log's head and to the campaign's last entry."""
    entry: dict[str, Any] = {
        "seq": 1 if head is None else head.position + 1, "previous": ZERO_HASH if head is None else head.hash,
        "campaign_id": campaign_id, "number": 1 if campaign_last is None else campaign_last.position + 1,
        "campaign_previous": ZERO_HASH if campaign_last is None else campaign_last.hash,
        "at": at_kst, "kind": str(kind), "record": dict(record)}
    return {**entry, "hash": entry_hash(entry)}
