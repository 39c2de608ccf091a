#!/usr/bin/env python3
"""Verify a published draw on your own machine.

    python3 verify_draw.py bundle.json [--me KAKAO_USER_ID]      a run's public bundle (GET /runs/{id}/bundle.json)
    python3 verify_draw.py export.csv reveal.json                a run's admin export and reveal

Needs Python 3.9+ and the `cryptography` package (pip install cryptography); nothing else from the
platform. For a bundle it checks that
  1. the seed matches the commitment published when entries closed: SHA256(seed) == commitment;
  2. every entry's pseudonym, decision and weight hash to the frozen-set hash published at the close;
  3. every eligible entry's key, recomputed from its pseudonym and weight, is the one published;
  4. ranking the eligible entries by key gives exactly the published ranks and outcomes: the first `seats`
     win, the next `waitlist_size` form the waitlist.
`--me` prints your own line (your pseudonym needs the seed and your id; nobody else can name you).
For an export and reveal it checks 1, the entry-set hash, and 3-4 over Kakao user ids.
The construction is in docs/draw-algorithm.md. Exit status 0 = verified, 1 = a check failed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import struct
import sys
from typing import Any, NoReturn, TypedDict

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


DRAWN = ("eligible", "eligible_exempt")
DECISION_CODES = ("eligible", "eligible_exempt", "duplicate", "blacklist", "suspicious", "precondition")
"""A decision's one-byte code in the frozen-set records is its index here."""


def frozen_set_hash(entries: list[dict[str, Any]]) -> str:
    """SHA-256 over 25-byte records: pseudonym (16 bytes) || decision code (int8) || weight (float64 LE),
    sorted by (pseudonym, code, weight)."""
    records = sorted((bytes.fromhex(e["pseudonym"]), DECISION_CODES.index(e["decision"]), float(e["weight"]))
                     for e in entries)
    return hashlib.sha256(b"".join(p + struct.pack("<bd", code, w) for p, code, w in records)).hexdigest()


def key_of(pseudonym: str, weight: float, algorithm: str) -> float:
    """The key from the entry's pseudonym (its AES block) and weight: no id and no seed needed."""
    bits = MANTISSA_BITS[algorithm]
    m = int.from_bytes(bytes.fromhex(pseudonym)[:8], "little") >> (64 - bits)
    return -math.log((m + 0.5) / 2.0**bits) / max(weight, 1e-9)


def pseudonym_of(seed: bytes, user_id: int, algorithm: str) -> str:
    block = algorithm.encode() + user_id.to_bytes(8, "little")
    return Cipher(algorithms.AES(seed), modes.ECB()).encryptor().update(block).hex()


def verify_bundle(path: str, me: int | None) -> None:
    with open(path) as f:
        bundle = json.load(f)
    algorithm, seed = bundle["algorithm"], bytes.fromhex(bundle["seed"])
    if algorithm not in MANTISSA_BITS or algorithm == "LOTTERY1":
        fail(f"a bundle needs LOTTERY2 or later, not {algorithm!r}")
    if hashlib.sha256(seed).hexdigest() != bundle["commitment"]:
        fail("the seed does not match the commitment")
    for reopening in bundle.get("reopenings", []):  # each correction burned the seed committed before it
        if hashlib.sha256(bytes.fromhex(reopening["burned_seed"])).hexdigest() != reopening["burned_commitment"]:
            fail(f"reopening {reopening['number']}: the burned seed does not match the commitment it burned")
    entries = bundle["entries"]
    if frozen_set_hash(entries) != bundle["frozen_set_hash"]:
        fail("the entries (pseudonym, decision, weight) do not hash to the frozen-set hash published at close")
    eligible = [e for e in entries if e["decision"] in DRAWN]
    for entry in eligible:
        key = key_of(entry["pseudonym"], float(entry["weight"]), algorithm)
        if not math.isclose(entry["key"], key, rel_tol=KEY_TOLERANCE):
            fail(f"entry {entry['pseudonym']}: published key {entry['key']!r}, recomputed {key!r}")
    seats, waitlist = int(bundle["seats"]), int(bundle["waitlist_size"])
    order = sorted(eligible, key=lambda e: (key_of(e["pseudonym"], float(e["weight"]), algorithm), e["pseudonym"]))
    expected = {e["pseudonym"]: (rank, "winner" if rank <= seats else "waitlist")
                for rank, e in enumerate(order[: seats + waitlist], start=1)}
    for entry in eligible:
        want = expected.get(entry["pseudonym"], (None, "not_selected"))
        if (entry["rank"], entry["outcome"]) != want:
            fail(f"entry {entry['pseudonym']}: published rank/outcome {entry['rank']}/{entry['outcome']}, "
                 f"recomputed {want[0]}/{want[1]}")
    if me is not None:
        mine = pseudonym_of(seed, me, algorithm)
        print("your line:", next((json.dumps(e) for e in entries if e["pseudonym"] == mine), "none (no entry)"))
    winners = sum(1 for _, outcome in expected.values() if outcome == "winner")
    print(f"VERIFIED: {len(entries)} entries, {len(eligible)} eligible, {winners} winners, "
          f"{len(expected) - winners} on the waitlist; {len(bundle['runs'])} run(s) of the campaign, "
          f"{len(bundle.get('reopenings', []))} reopening(s); "
          f"seed matches commitment {bundle['commitment'][:16]}… ({algorithm})")


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
    if algorithm == "LOTTERY1":  # text lines, as that algorithm's runs were hashed
        content = "".join(f"{r['user_id']},{r['weight']!r}\n" for r in by_user).encode()
    else:  # 16-byte records: user id (uint64) then weight (float64), little-endian, sorted by user id
        content = b"".join(struct.pack("<Qd", r["user_id"], r["weight"]) for r in by_user)
    if hashlib.sha256(content).hexdigest() != reveal["entry_set_hash"]:
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
    arguments = sys.argv[1:]
    if len(arguments) in (1, 3) and arguments[0].endswith(".json") and arguments[1:2] in ([], ["--me"]):
        verify_bundle(arguments[0], int(arguments[2]) if len(arguments) == 3 else None)
    elif len(arguments) == 2:
        main(arguments[0], arguments[1])
    else:
        print(__doc__)
        sys.exit(2)
