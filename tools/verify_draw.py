#!/usr/bin/env python3
"""Verify a published draw on your own machine.

    python3 verify_draw.py export.csv reveal.json

Needs Python 3.9+ and the `cryptography` package (pip install cryptography); nothing else from the
platform. It checks that
  1. the revealed seed matches the commitment published when entries closed: SHA256(seed) == commitment;
  2. the exported entry set hashes to the entry-set hash fixed before the draw;
  3. recomputing every entrant's key from the seed gives exactly the exported ranking: the first
     `seats` keys win, the next `waitlist_size` form the waitlist, in key order.
The construction is in docs/draw-algorithm.md. Exit status 0 = verified, 1 = a check failed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import sys
from typing import NoReturn, TypedDict

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MANTISSA_BITS = {"LOTTERY1": 53, "LOTTERY2": 52}
"""Each algorithm's name is its AES block tag. LOTTERY1 (runs before it was replaced; a reveal without an
`algorithm` field is one) could give U = 1.0; LOTTERY2 keeps U strictly inside (0, 1)."""
KEY_TOLERANCE = 1e-12  # relative; libm's log and numpy's may differ in the last bit


class ExportRow(TypedDict):
    rank: int | None
    user_id: int
    outcome: str
    weight: float
    key: float


def fail(message: str) -> NoReturn:
    print(f"VERIFICATION FAILED: {message}")
    sys.exit(1)


def keys_for(seed: bytes, rows: list[ExportRow], algorithm: str = "LOTTERY2") -> list[float]:
    bits = MANTISSA_BITS[algorithm]
    blocks = b"".join(algorithm.encode() + row["user_id"].to_bytes(8, "little") for row in rows)
    cipher = Cipher(algorithms.AES(seed), modes.ECB()).encryptor().update(blocks)
    keys = []
    for i, row in enumerate(rows):
        m = int.from_bytes(cipher[16 * i : 16 * i + 8], "little") >> (64 - bits)
        u = (m + 0.5) / 2.0**bits
        weight = max(row["weight"], 1e-9)  # the stored weight: capped at intake, never re-capped
        keys.append(-math.log(u) / weight)
    return keys


def main(csv_path: str, reveal_path: str) -> None:
    with open(reveal_path) as f:
        reveal = json.load(f)
    seed = bytes.fromhex(reveal["seed"])
    algorithm = reveal.get("algorithm", "LOTTERY1")
    if algorithm not in MANTISSA_BITS:
        fail(f"unknown algorithm {algorithm!r}: this script knows {', '.join(MANTISSA_BITS)}")
    if hashlib.sha256(seed).hexdigest() != reveal["commitment"]:
        fail("the revealed seed does not match the commitment")

    with open(csv_path, newline="") as f:
        rows: list[ExportRow] = [
            {"rank": int(r["rank"]) if r["rank"] else None, "user_id": int(r["kakao_user_id"]),
             "outcome": r["outcome"], "weight": float(r["weight"]), "key": float(r["key"])}
            for r in csv.DictReader(f)
        ]
    by_user = sorted(rows, key=lambda r: r["user_id"])
    lines = "".join(f"{r['user_id']},{r['weight']!r}\n" for r in by_user)
    if hashlib.sha256(lines.encode()).hexdigest() != reveal["entry_set_hash"]:
        fail("the exported entries do not hash to the entry-set hash fixed before the draw")

    keys = keys_for(seed, rows, algorithm)
    for row, key in zip(rows, keys):
        if not math.isclose(row["key"], key, rel_tol=KEY_TOLERANCE):
            fail(f"user {row['user_id']}: exported key {row['key']!r}, recomputed {key!r}")
    seats, waitlist = int(reveal["seats"]), int(reveal["waitlist_size"])
    ranked = sorted(zip(keys, (r["user_id"] for r in rows)))[: seats + waitlist]
    expected = {user: (rank, "winner" if rank <= seats else "waitlist")
                for rank, (_, user) in enumerate(ranked, start=1)}
    for row in rows:
        want = expected.get(row["user_id"], (None, "not_selected"))
        if (row["rank"], row["outcome"]) != want:
            fail(f"user {row['user_id']}: exported rank/outcome {row['rank']}/{row['outcome']}, "
                 f"recomputed {want[0]}/{want[1]}")
    winners = sum(1 for _, outcome in expected.values() if outcome == "winner")
    print(f"VERIFIED: {len(rows)} entrants, {winners} winners, {len(expected) - winners} on the waitlist; "
          f"seed matches commitment {reveal['commitment'][:16]}… ({algorithm})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
