#!/usr/bin/env python3
"""Verify a published draw on your own machine.

    python3 verify_draw.py bundle.json [--me PSEUDONYM]          a run's public bundle (GET /runs/{id}/bundle.json)
    python3 verify_draw.py export.csv reveal.json                a run's admin export and reveal

Needs Python 3.9+ and the `cryptography` package (pip install cryptography); nothing else from the
platform. For a bundle it checks that
  1. the seed matches the commitment published when entries closed: SHA256(seed) == commitment;
  2. every entry's pseudonym, decision and weight hash to the frozen-set hash published at the close;
  3. every eligible entry's key, recomputed from its pseudonym and weight, is the one published;
  4. ranking the eligible entries by key gives exactly the published ranks and outcomes: the first `seats`
     win, the next `waitlist_size` form the waitlist.
`--me` prints your own line: give the pseudonym the service shows you with your entry (GET
/campaigns/{id}/entry); for a LOTTERY2 bundle, your Kakao user id.
For an export and reveal it checks 1, the entry-set hash, and 3-4 over the draw ids (LOTTERY3's export
carries each entrant's `draw_id`; before it, keys went over the Kakao user id).
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

MANTISSA_BITS = {"LOTTERY1": 53, "LOTTERY2": 52, "LOTTERY3": 52}
"""Each algorithm's name is its AES block tag. LOTTERY1 (runs before it was replaced; a reveal without an
`algorithm` field is one) could give U = 1.0; LOTTERY2 keeps U strictly inside (0, 1); LOTTERY3 is LOTTERY2
over pseudonymous draw ids, which nobody can compute from a Kakao id."""
PSEUDONYMOUS = ("LOTTERY3",)
KEY_TOLERANCE = 1e-12  # relative; libm's log and numpy's may differ in the last bit


class ExportRow(TypedDict):
    rank: int | None
    user_id: int
    draw_id: int
    """What the key is computed over: the user id itself before LOTTERY3."""
    outcome: str
    weight: float
    key: float


def fail(message: str) -> NoReturn:
    print(f"VERIFICATION FAILED: {message}")
    sys.exit(1)


def keys_for(seed: bytes, rows: list[ExportRow], algorithm: str = "LOTTERY2") -> list[float]:
    bits = MANTISSA_BITS[algorithm]
    blocks = b"".join(algorithm.encode() + row["draw_id"].to_bytes(8, "little") for row in rows)
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


def frozen_set_hash(entries: list[dict[str, Any]], blocks: dict[str, bytes]) -> str:
    """SHA-256 over 25-byte records: c_i (16 bytes) || decision code (int8) || weight (float64 LE),
    sorted by (c_i, code, weight)."""
    records = sorted((blocks[e["pseudonym"]], DECISION_CODES.index(e["decision"]), float(e["weight"]))
                     for e in entries)
    return hashlib.sha256(b"".join(p + struct.pack("<bd", code, w) for p, code, w in records)).hexdigest()


def block_of(seed: bytes, pseudonym: str, algorithm: str) -> bytes:
    """c_i: LOTTERY3 publishes the draw id (8 bytes, little-endian) and c_i is computed from it; LOTTERY2
    published c_i itself."""
    if algorithm not in PSEUDONYMOUS:
        return bytes.fromhex(pseudonym)
    return Cipher(algorithms.AES(seed), modes.ECB()).encryptor().update(algorithm.encode() + bytes.fromhex(pseudonym))


def key_of(block: bytes, weight: float, algorithm: str) -> float:
    """The key from the entry's AES block and weight."""
    bits = MANTISSA_BITS[algorithm]
    m = int.from_bytes(block[:8], "little") >> (64 - bits)
    return -math.log((m + 0.5) / 2.0**bits) / max(weight, 1e-9)


def tie_break(pseudonym: str, algorithm: str) -> int | str:
    """The second sort key: the draw id (LOTTERY3), or the pseudonym's hex (LOTTERY2 bundles)."""
    return int.from_bytes(bytes.fromhex(pseudonym), "little") if algorithm in PSEUDONYMOUS else pseudonym


def pseudonym_of(seed: bytes, user_id: int, algorithm: str) -> str:
    block = algorithm.encode() + user_id.to_bytes(8, "little")
    return Cipher(algorithms.AES(seed), modes.ECB()).encryptor().update(block).hex()


def verify_bundle(path: str, me: str | None) -> None:
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
    blocks = {e["pseudonym"]: block_of(seed, e["pseudonym"], algorithm) for e in entries}
    if frozen_set_hash(entries, blocks) != bundle["frozen_set_hash"]:
        fail("the entries (pseudonym, decision, weight) do not hash to the frozen-set hash published at close")
    eligible = [e for e in entries if e["decision"] in DRAWN]
    keys = {e["pseudonym"]: key_of(blocks[e["pseudonym"]], float(e["weight"]), algorithm) for e in eligible}
    for entry in eligible:
        if not math.isclose(entry["key"], keys[entry["pseudonym"]], rel_tol=KEY_TOLERANCE):
            fail(f"entry {entry['pseudonym']}: published key {entry['key']!r}, recomputed {keys[entry['pseudonym']]!r}")
    seats, waitlist = int(bundle["seats"]), int(bundle["waitlist_size"])
    order = sorted(eligible, key=lambda e: (keys[e["pseudonym"]], tie_break(e["pseudonym"], algorithm)))
    expected = {e["pseudonym"]: (rank, "winner" if rank <= seats else "waitlist")
                for rank, e in enumerate(order[: seats + waitlist], start=1)}
    for entry in eligible:
        want = expected.get(entry["pseudonym"], (None, "not_selected"))
        if (entry["rank"], entry["outcome"]) != want:
            fail(f"entry {entry['pseudonym']}: published rank/outcome {entry['rank']}/{entry['outcome']}, "
                 f"recomputed {want[0]}/{want[1]}")
    if me is not None:
        mine = me if algorithm in PSEUDONYMOUS else pseudonym_of(seed, int(me), algorithm)
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
             "draw_id": int(r["draw_id"] if algorithm in PSEUDONYMOUS else r["kakao_user_id"]),
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
    ranked = [(key, row["user_id"]) for key, _, row in sorted(
        zip(keys, (r["draw_id"] for r in rows), rows), key=lambda t: (t[0], t[1]))][: seats + waitlist]
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
        verify_bundle(arguments[0], arguments[2] if len(arguments) == 3 else None)
    elif len(arguments) == 2:
        main(arguments[0], arguments[1])
    else:
        print(__doc__)
        sys.exit(2)
