#!/usr/bin/env python3
"""Verify a published draw on your own machine.

    python3 verify_draw.py bundle.json [--me PSEUDONYM] [--head SEQ:HASH]   a run's public bundle
    python3 verify_draw.py export.csv reveal.json                             a run's admin export and reveal

Needs Python 3.9+ and `cryptography`; draws from LOTTERY4 on also need `drand-verify`, which checks the
public beacon's signature (pip install cryptography drand-verify). Nothing else from the platform.
The construction is in docs/draw-algorithm.md (§8 for LOTTERY4 and bundle 2). Every check fails loudly,
naming what does not hold and where; exit status 0 = verified, 1 = a check failed.

A bundle 2 (`lottery-bundle/2`, LOTTERY4) is checked in the order of §8.7: the public log's chain and head
(and `--head`, a head you saw earlier, is in it); the campaign's history in the log (numbers, links, which
kind may follow which, every commitment, beacon round and signature, each reopen's numbering and change
list); the run under the commitment in force; the bundle's seats, waitlist size, weight cap, frozen-set
hash and draw time against `committed`; the seed against `seed_hash`; the beacon; the entries' order and
frozen-set hash; every key, rank and outcome; the result hash; every reopen's change list against the
sets before and after it.
A bundle 1 (`lottery-bundle/1`, LOTTERY2-3): the seed against the commitment; the entries' order and
frozen-set hash; keys, ranks and outcomes; the runs' chain; the reopenings' numbers and commitments.
An export and reveal: the seed (LOTTERY4: `committed` and the beacon too), the entry-set hash, the keys
over the draw ids (the Kakao user ids before LOTTERY3), ranks and outcomes.
`--me` prints your own line: the pseudonym the service shows you with your entry (GET
/campaigns/{id}/entry); for a LOTTERY2 bundle, your Kakao user id.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import struct
import sys
from collections import Counter
from datetime import datetime
from typing import Any, NoReturn, TypedDict

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MANTISSA_BITS = {"LOTTERY1": 53, "LOTTERY2": 52, "LOTTERY3": 52, "LOTTERY4": 52}
"""Each algorithm's name is its AES block tag. LOTTERY1 (a reveal without an `algorithm` field is one) could
give U = 1.0; LOTTERY2 keeps U strictly inside (0, 1); LOTTERY3 is LOTTERY2 over pseudonymous draw ids;
LOTTERY4 keys them under SHA-256(seed || beacon randomness)."""
PSEUDONYMOUS = ("LOTTERY3", "LOTTERY4")
KEY_TOLERANCE = 1e-12  # relative; libm's log and numpy's may differ in the last bit (§4)
DRAWN = ("eligible", "eligible_exempt")
DECISION_CODES = ("eligible", "eligible_exempt", "duplicate", "blacklist", "suspicious", "precondition")
"""A decision's one-byte code in the frozen-set records is its index here."""
ZERO_HASH = "0" * 64
BEACON_SCHEME = "bls-unchained-g1-rfc9380"
Entry = dict[str, Any]
Record = tuple[str, int, float]  # (pseudonym, decision code, weight): one row of a LOTTERY4 frozen set


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


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(value: Any) -> bytes:
    """§8.1: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def aes(key: bytes, blocks: bytes) -> bytes:
    return Cipher(algorithms.AES(key), modes.ECB()).encryptor().update(blocks)


def short(digest: str) -> str:
    return f"{digest[:16]}…"


# --- keys and ranking (§3, §4) ------------------------------------------------------------------------------

def key_of(block: bytes, weight: float, algorithm: str) -> float:
    """The key from the entry's AES block c_i and its stored weight (never re-capped, floored at 1e-9)."""
    bits = MANTISSA_BITS[algorithm]
    m = int.from_bytes(block[:8], "little") >> (64 - bits)
    return -math.log((m + 0.5) / 2.0**bits) / max(weight, 1e-9)


def keys_for(seed: bytes, rows: list[ExportRow], algorithm: str = "LOTTERY2") -> list[float]:
    """Keys of export rows: c_i = AES(seed, tag || draw id); LOTTERY4 passes its key seed as `seed`."""
    cipher = aes(seed, b"".join(algorithm.encode() + row["draw_id"].to_bytes(8, "little") for row in rows))
    return [key_of(cipher[16 * i : 16 * i + 16], row["weight"], algorithm) for i, row in enumerate(rows)]


def places(order: list[str], seats: int, waitlist: int) -> dict[str, tuple[int, str]]:
    """Names in rank order → (rank, outcome) for the first seats + waitlist."""
    return {name: (rank, "winner" if rank <= seats else "waitlist")
            for rank, name in enumerate(order[: seats + waitlist], start=1)}


def check_draw(eligible: list[Entry], keys: dict[str, float], tie: Any, seats: int, waitlist: int) -> list[str]:
    """Every published key against its recomputation (within the tolerance of §4), then every rank and outcome
    against the order of the published keys, ties by p_i; the pseudonyms in rank order."""
    for entry in eligible:
        if not math.isclose(entry["key"], keys[entry["pseudonym"]], rel_tol=KEY_TOLERANCE):
            fail(f"entry {entry['pseudonym']}: published key {entry['key']!r}, recomputed {keys[entry['pseudonym']]!r}")
    published = {entry["pseudonym"]: float(entry["key"]) for entry in eligible}
    order = sorted(published, key=lambda name: (published[name], tie(name)))
    expected = places(order, seats, waitlist)
    for entry in eligible:
        want = expected.get(entry["pseudonym"], (None, "not_selected"))
        if (entry["rank"], entry["outcome"]) != want:
            fail(f"entry {entry['pseudonym']}: published rank/outcome {entry['rank']}/{entry['outcome']}, "
                 f"recomputed {want[0]}/{want[1]}")
    return order[: seats + waitlist]


def draw_id_of(pseudonym: str) -> int:
    """p_i: the pseudonym is its 8 bytes, little-endian, in hex; ties between equal keys go by p_i."""
    return int.from_bytes(bytes.fromhex(pseudonym), "little")


def print_me(entries: list[Entry], mine: str | None) -> None:
    if mine is not None:
        print("your line:", next((json.dumps(e) for e in entries if e["pseudonym"] == mine), "none (no entry)"))


# --- bundle 1: LOTTERY2 and LOTTERY3 (§6) -------------------------------------------------------------------

def frozen_set_hash(entries: list[Entry], blocks: dict[str, bytes]) -> str:
    """SHA-256 over 25-byte records c_i || code (1 byte) || weight (float64 LE), sorted by (c_i, code, weight)."""
    records = sorted((blocks[e["pseudonym"]], DECISION_CODES.index(e["decision"]), float(e["weight"]))
                     for e in entries)
    return sha256_hex(b"".join(p + struct.pack("<bd", code, w) for p, code, w in records))


def block_of(seed: bytes, pseudonym: str, algorithm: str) -> bytes:
    """c_i: LOTTERY3 publishes the draw id and c_i is computed from it; LOTTERY2 published c_i itself."""
    if algorithm not in PSEUDONYMOUS:
        return bytes.fromhex(pseudonym)
    return aes(seed, algorithm.encode() + bytes.fromhex(pseudonym))


def check_runs(bundle: Entry) -> None:
    """The runs, oldest first, chain by previous_run_id; all but the last were rolled back; this run is one.
    The first bundles listed run ids only: then only the last holds."""
    runs, previous = bundle["runs"], None
    if not all("previous_run_id" in run for run in runs):
        if bundle["run_id"] not in [run["run_id"] for run in runs]:
            fail(f"runs: the bundle's own run {bundle['run_id']} is not listed")
        return
    for i, run in enumerate(runs):
        if run["previous_run_id"] != previous:
            fail(f"runs: run {run['run_id']} names previous_run_id {run['previous_run_id']}, but the run listed "
                 f"before it is {previous}: a run is missing or out of order")
        if i < len(runs) - 1 and run["status"] != "rolled_back":
            fail(f"runs: run {run['run_id']} is {run['status']}, yet a later run is listed: only a rolled-back "
                 "run is followed by another")
        previous = run["run_id"]
    mine = [run for run in runs if run["run_id"] == bundle["run_id"]]
    if not mine or (mine[0]["status"], mine[0]["commitment"]) != (bundle["status"], bundle["commitment"]):
        fail(f"runs: the bundle's own run {bundle['run_id']} ({bundle['status']}) is not listed as it is")


def check_reopenings(bundle: Entry) -> None:
    """Commitments in force: the first close's, then each reopening's new one. Every run was drawn under the one
    in force then (in list order); each reopening burned the one before it; a live run holds the last one."""
    reopenings = bundle.get("reopenings", [])
    chain = [reopenings[0]["burned_commitment"]] + [r["new_commitment"] for r in reopenings] if reopenings else []
    position, runs = 0, bundle["runs"] if all("commitment" in run for run in bundle["runs"]) else []
    for run in runs:
        if not chain:
            chain = [run["commitment"]]
        if run["commitment"] not in chain[position:]:
            fail(f"runs: run {run['run_id']} names commitment {short(run['commitment'])}, not the commitment in "
                 f"force ({short(chain[position])}) nor one a later reopening leads to")
        position = chain.index(run["commitment"], position)
    last = runs[-1] if runs else {"status": "rolled_back"}
    if reopenings and last["status"] != "rolled_back" and last["commitment"] != chain[-1]:
        fail(f"runs: the live run {last['run_id']} names commitment {short(last['commitment'])}, not the "
             f"commitment in force after the last reopening ({short(chain[-1])})")
    for number, reopening in enumerate(reopenings, start=1):
        if number > 1 and reopening["burned_commitment"] != chain[number - 1]:
            fail(f"reopening {reopening['number']}: it burned {short(reopening['burned_commitment'])}, not the "
                 f"commitment in force before it ({short(chain[number - 1])})")
        if reopening["number"] != number:
            fail(f"reopenings: listed as number {reopening['number']} where {number} is due: they are numbered "
                 "1, 2, … and every one is listed")
        if sha256_hex(bytes.fromhex(reopening["burned_seed"])) != reopening["burned_commitment"]:
            fail(f"reopening {number}: the burned seed does not match the commitment it burned")


def verify_bundle_v1(bundle: Entry, me: str | None) -> None:
    algorithm, seed = bundle["algorithm"], bytes.fromhex(bundle["seed"])
    if algorithm not in ("LOTTERY2", "LOTTERY3"):
        fail(f"a bundle 1 is LOTTERY2 or LOTTERY3, not {algorithm!r}")
    if sha256_hex(seed) != bundle["commitment"]:
        fail("the seed does not match the commitment")
    check_runs(bundle)
    check_reopenings(bundle)
    entries = bundle["entries"]
    for i in range(1, len(entries)):
        if entries[i]["pseudonym"] < entries[i - 1]["pseudonym"]:
            fail(f"entries are not in order: {entries[i]['pseudonym']} is listed after {entries[i - 1]['pseudonym']}")
    blocks = {e["pseudonym"]: block_of(seed, e["pseudonym"], algorithm) for e in entries}
    if frozen_set_hash(entries, blocks) != bundle["frozen_set_hash"]:
        fail("the entries (pseudonym, decision, weight) do not hash to the frozen-set hash published at close")
    eligible = [e for e in entries if e["decision"] in DRAWN]
    keys = {e["pseudonym"]: key_of(blocks[e["pseudonym"]], float(e["weight"]), algorithm) for e in eligible}
    tie = draw_id_of if algorithm in PSEUDONYMOUS else (lambda name: name)
    ranked = check_draw(eligible, keys, tie, int(bundle["seats"]), int(bundle["waitlist_size"]))
    print_me(entries, me if me is None or algorithm in PSEUDONYMOUS
             else aes(seed, algorithm.encode() + int(me).to_bytes(8, "little")).hex())
    winners = min(len(ranked), int(bundle["seats"]))
    print(f"VERIFIED: {len(entries)} entries, {len(eligible)} eligible, {winners} winners, "
          f"{len(ranked) - winners} on the waitlist; {len(bundle['runs'])} run(s) of the campaign, "
          f"{len(bundle.get('reopenings', []))} reopening(s); "
          f"seed matches commitment {short(bundle['commitment'])} ({algorithm})")


# --- bundle 2: LOTTERY4, the commitment log and the beacon (§8) ---------------------------------------------

def entry_hash(entry: Entry) -> str:
    """A log entry's hash: H(canonical(the entry without its `hash`))."""
    return sha256_hex(canonical({k: v for k, v in entry.items() if k != "hash"}))


def check_log(log: Entry, head_seen: tuple[int, str] | None) -> list[Entry]:
    """The chain from the bundle's first entry to its head, and a head seen earlier inside it."""
    entries: list[Entry] = log["entries"]
    for i, entry in enumerate(entries):
        if entry_hash(entry) != entry["hash"]:
            fail(f"log entry seq {entry['seq']}: its hash does not match its content")
        if i and entry["seq"] != entries[i - 1]["seq"] + 1:
            fail(f"log entry seq {entry['seq']} comes after seq {entries[i - 1]['seq']}: the log is out of order "
                 "or has a gap")
        previous = entries[i - 1]["hash"] if i else (ZERO_HASH if entry["seq"] == 1 else entry["previous"])
        if entry["previous"] != previous:
            fail(f"log entry seq {entry['seq']}: `previous` is not the hash of the entry before it")
    if (entries[-1]["seq"], entries[-1]["hash"]) != (log["head"]["seq"], log["head"]["hash"]):
        fail(f"the log's head (seq {log['head']['seq']}, {short(log['head']['hash'])}) is not its last entry "
             f"(seq {entries[-1]['seq']}, {short(entries[-1]['hash'])})")
    if head_seen is not None:
        seq, digest = head_seen
        if not entries[0]["seq"] <= seq <= entries[-1]["seq"]:
            fail(f"the head you saw (seq {seq}) is outside this bundle's log (seq {entries[0]['seq']} to "
                 f"{entries[-1]['seq']}): the log was cut, or check it against GET /commitments")
        found = entries[seq - entries[0]["seq"]]["hash"]
        if found != digest.lower():
            fail(f"log entry seq {seq}: hash {short(found)}, not the head you saw ({short(digest)}): "
                 "the log was rewritten after you saw it")
    return entries


def first_round_after(beacon: Entry, at_kst: str) -> int:
    """§8.3: latest(T) + 1, the first round not yet published at T, the entry's `at` in Unix seconds (whole, as
    `at` shows it). A commitment may name it or a later one (the service leaves a margin), never an earlier."""
    t = int(datetime.fromisoformat(at_kst).timestamp())
    return (t - int(beacon["genesis_time"])) // int(beacon["period"]) + 1 + 1


def beacon_randomness(committed: Entry, got: Entry, where: str) -> str:
    """Round, signature (BLS on G1 under the committed public key) and randomness = H(signature)."""
    try:
        import drand_verify  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        fail("checking the beacon's signature needs the drand-verify package: pip install drand-verify")
    if committed["scheme"] != BEACON_SCHEME:
        fail(f"{where}: beacon scheme {committed['scheme']!r}; this script checks {BEACON_SCHEME}")
    if got["round"] != committed["round"]:
        fail(f"{where}: beacon round {got['round']}, but the commitment fixed round {committed['round']}")
    try:
        drand_verify.verify_bls_unchained_g1_rfc9380(got["round"], got["signature"], committed["public_key"])
    except BaseException as error:  # ValueError for a wrong signature; a Rust panic (BaseException) for a bad point
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        fail(f"{where}: the signature of beacon round {got['round']} does not verify under the committed "
             f"public key {committed['public_key'][:16]}…")
    if sha256_hex(bytes.fromhex(got["signature"])) != got["randomness"]:
        fail(f"{where}: the randomness of beacon round {got['round']} is not SHA-256 of its signature")
    return str(got["randomness"])


def key_seed(seed: bytes, randomness: str) -> bytes:
    """§8.4: SHA-256(seed || randomness), the AES key of a LOTTERY4 draw."""
    return hashlib.sha256(seed + bytes.fromhex(randomness)).digest()


def result_hash(ranked_pseudonyms: list[str]) -> str:
    """§8.4: H(p_i as 8 bytes LE for ranks 1 .. min(K + W, eligible), in rank order)."""
    return sha256_hex(b"".join(bytes.fromhex(name) for name in ranked_pseudonyms))


def frozen_hash_v2(records: Any) -> str:
    """§8.2: 17-byte records p_i || code || weight (float64 LE), sorted by (pseudonym, code, weight)."""
    return sha256_hex(b"".join(bytes.fromhex(p) + struct.pack("<bd", c, w) for p, c, w in sorted(records)))


FOLLOWS = {"closed": (None,), "reopened": ("closed", "reclosed", "places_changed", "rolled_back"),
           "reclosed": ("reopened",), "places_changed": ("closed", "reclosed", "places_changed", "rolled_back"),
           "run": ("closed", "reclosed", "places_changed", "rolled_back"), "rolled_back": ("run",)}
"""§8.5: which kind may follow which in one campaign's history."""
KEPT_BY_RECLOSE = ("algorithm", "campaign_id", "draw_at_kst", "seats", "seed_hash", "waitlist_size")


class History:
    """One campaign's entries of the log, walked in order (§8.5): what is in force after each."""

    def __init__(self, campaign_id: str) -> None:
        self.campaign_id, self.reopenings = campaign_id, 0
        self.in_force: Entry = {}  # the last closed, reclosed or places_changed record
        self.last_kind: str | None = None
        self.runs: list[Entry] = []
        self.undone: set[str] = set()  # the runs rolled back
        self.steps: list[tuple[Entry, Entry]] = []  # (entry, the committed in force after it)

    def walk(self, log: list[Entry]) -> None:
        mine = [e for e in log if e["campaign_id"] == self.campaign_id]
        if not mine or mine[0] is not log[0] or mine[0]["number"] != 1:
            fail(f"the log does not start at campaign {self.campaign_id}'s first entry")
        for number, entry in enumerate(mine, start=1):
            where = f"campaign entry {entry['number']} (log seq {entry['seq']}, {entry['kind']})"
            previous = mine[number - 2]["hash"] if number > 1 else ZERO_HASH
            if entry["number"] != number or entry["campaign_previous"] != previous:
                fail(f"{where}: its number or campaign_previous does not follow entry {number - 1}: the "
                     "campaign's entries are missing or out of order")
            if entry["kind"] not in FOLLOWS or self.last_kind not in FOLLOWS[entry["kind"]]:
                fail(f"{where}: out of order: a {entry['kind']} entry cannot follow {self.last_kind or 'nothing'}")
            getattr(self, entry["kind"])(entry["record"], entry, where)
            self.last_kind = entry["kind"]
            self.steps.append((entry, self.in_force["committed"]))

    def names_in_force(self, commitment: str, where: str) -> None:
        if commitment != self.in_force["commitment"]:
            fail(f"{where}: names commitment {short(commitment)}, not the commitment in force "
                 f"({short(self.in_force['commitment'])})")

    def commits(self, record: Entry, where: str) -> Entry:
        committed: Entry = record["committed"]
        if sha256_hex(canonical(committed)) != record["commitment"]:
            fail(f"{where}: the commitment is not the hash of its `committed`")
        if committed["campaign_id"] != self.campaign_id or committed["algorithm"] != "LOTTERY4":
            fail(f"{where}: commits campaign {committed['campaign_id']} under {committed['algorithm']}")
        return committed

    def with_round(self, committed: Entry, entry: Entry, where: str) -> None:
        first = first_round_after(committed["beacon"], entry["at"])
        if committed["beacon"]["round"] < first:
            fail(f"{where}: commits beacon round {committed['beacon']['round']}, already published at its time "
                 f"{entry['at']}: the first round after it is {first}")

    def closed(self, record: Entry, entry: Entry, where: str) -> None:
        self.with_round(self.commits(record, where), entry, where)
        self.in_force = record

    def reopened(self, record: Entry, entry: Entry, where: str) -> None:
        self.names_in_force(record["commitment"], where)
        if record["reopening"] != self.reopenings + 1:
            fail(f"{where}: reopening {record['reopening']} where {self.reopenings + 1} is due")
        self.reopenings += 1

    def reclosed(self, record: Entry, entry: Entry, where: str) -> None:
        before = self.in_force["committed"]
        if record["reopening"] != self.reopenings or record["from_frozen_set_hash"] != before["frozen_set_hash"]:
            fail(f"{where}: does not close reopening {self.reopenings} from the frozen set in force")
        changes = record["changes"]
        for change in changes:
            if (change["from"], float(change["weight_from"])) == (change["to"], float(change["weight_to"])):
                fail(f"{where}: the change list names {change['pseudonym']}, which did not change")
        if changes != sorted(changes, key=lambda c: (c["pseudonym"], c["from"], c["to"], float(c["weight_from"]),
                                                     float(c["weight_to"]))):
            fail(f"{where}: the change list is not in (pseudonym, from, to, weight_from, weight_to) order")
        if not record["changed"]:
            if (record["commitment"], record["committed"], changes) != (self.in_force["commitment"], before, []):
                fail(f"{where}: 'no change' must keep the commitment in force and list no change")
            return
        committed = self.commits(record, where)
        if any(committed[name] != before[name] for name in KEPT_BY_RECLOSE) or \
                {**committed["beacon"], "round": 0} != {**before["beacon"], "round": 0}:
            fail(f"{where}: a re-close may change the frozen set, weight cap and beacon round only")
        if committed["frozen_set_hash"] == before["frozen_set_hash"]:
            fail(f"{where}: says the set changed, but its frozen-set hash is the one before: a re-roll")
        self.with_round(committed, entry, where)
        self.in_force = record

    def places_changed(self, record: Entry, entry: Entry, where: str) -> None:
        self.names_in_force(record["previous_commitment"], where)
        committed = self.commits(record, where)
        if {**committed, "seats": 0, "waitlist_size": 0} != {**self.in_force["committed"], "seats": 0,
                                                              "waitlist_size": 0}:
            fail(f"{where}: a change of places may change seats and waitlist size only")
        self.in_force = record

    def run(self, record: Entry, entry: Entry, where: str) -> None:
        self.names_in_force(record["commitment"], where)
        previous = self.runs[-1]["run_id"] if self.runs else None
        if record["previous_run_id"] != previous:
            fail(f"{where}: run {record['run_id']} names previous_run_id {record['previous_run_id']}, but the run "
                 f"before it in the log is {previous}: a run is missing or out of order")
        beacon_randomness(self.in_force["committed"]["beacon"], record["beacon"], where)
        self.runs.append(record)

    def rolled_back(self, record: Entry, entry: Entry, where: str) -> None:
        if record["run_id"] != self.runs[-1]["run_id"]:
            fail(f"{where}: rolls back run {record['run_id']}, not the live run {self.runs[-1]['run_id']}")
        self.undone.add(record["run_id"])


def apply_changes(records: Counter[Record], changes: list[Entry], backwards: bool, where: str) -> None:
    """Turn a frozen set into the one before (backwards) or after a re-close, row by listed row."""
    for change in changes:
        old = (change["pseudonym"], DECISION_CODES.index(change["from"]), float(change["weight_from"]))
        new = (change["pseudonym"], DECISION_CODES.index(change["to"]), float(change["weight_to"]))
        have, want = (new, old) if backwards else (old, new)
        if records[have] == 0:
            fail(f"{where}: the change list names {have[0]} as {DECISION_CODES[have[1]]} with weight {have[2]!r}, "
                 f"a row the set {'after' if backwards else 'before'} it does not hold")
        records[have] -= 1
        records[want] += 1


def check_reopens(history: History, run_entry: Entry, records: list[Record]) -> None:
    """§8.5: each changed re-close's list, applied backwards to the set it produced, gives the set before it.
    From the bundle's own set: backwards through the re-closes before its run, forwards through those after."""
    steps = [(entry, committed) for entry, committed in history.steps
             if entry["kind"] == "reclosed" and entry["record"]["changed"]]
    before = [s for s in steps if s[0]["seq"] < run_entry["seq"]]
    for direction, walk in ((True, reversed(before)), (False, [s for s in steps if s[0]["seq"] > run_entry["seq"]])):
        current: Counter[Record] = Counter(records)
        for entry, committed in walk:
            where = f"reopening {entry['record']['reopening']} (log seq {entry['seq']})"
            apply_changes(current, entry["record"]["changes"], direction, where)
            target = entry["record"]["from_frozen_set_hash"] if direction else committed["frozen_set_hash"]
            if frozen_hash_v2(current.elements()) != target:
                fail(f"{where}: the change list does not turn the set {'after' if direction else 'before'} it "
                     f"into the set {'before' if direction else 'after'} it: a changed row is missing from it")


def check_entries_v2(bundle: Entry, committed: Entry, seed: bytes, randomness: str) -> tuple[list[Record], list[str]]:
    entries = bundle["entries"]
    records = [(e["pseudonym"], DECISION_CODES.index(e["decision"]), float(e["weight"])) for e in entries]
    for i in range(1, len(records)):
        if records[i] < records[i - 1]:
            fail(f"entries are not in order: {records[i][0]} is listed after {records[i - 1][0]}")
    if frozen_hash_v2(records) != committed["frozen_set_hash"]:
        fail("the entries (pseudonym, decision, weight) do not hash to the committed frozen-set hash")
    eligible = [e for e in entries if e["decision"] in DRAWN]
    if len({e["pseudonym"] for e in eligible}) != len(eligible):
        fail("two eligible entries share a pseudonym: the engine refuses such a draw (one entrant, one key)")
    blocks = aes(key_seed(seed, randomness), b"".join(b"LOTTERY4" + bytes.fromhex(e["pseudonym"]) for e in eligible))
    keys = {e["pseudonym"]: key_of(blocks[16 * i : 16 * i + 16], float(e["weight"]), "LOTTERY4")
            for i, e in enumerate(eligible)}
    return records, check_draw(eligible, keys, draw_id_of, int(committed["seats"]), int(committed["waitlist_size"]))


def verify_bundle_v2(bundle: Entry, me: str | None, head_seen: tuple[int, str] | None) -> None:
    log = check_log(bundle["log"], head_seen)
    history = History(bundle["campaign_id"])
    history.walk(log)
    found = [(e, c) for e, c in history.steps if e["kind"] == "run" and e["record"]["run_id"] == bundle["run_id"]]
    if not found:
        fail(f"run {bundle['run_id']} is not in the campaign's log")
    run_entry, committed = found[0]
    run = run_entry["record"]
    if bundle["commitment"] != run["commitment"]:
        fail(f"the bundle's commitment {short(bundle['commitment'])} is not the one its run was drawn under "
             f"({short(run['commitment'])}, log seq {run_entry['seq']})")
    if bundle["committed"] != committed:
        fail("the bundle's `committed` is not the one the log commits (it does not hash to the commitment)")
    for name in ("campaign_id", "algorithm", "draw_at_kst", "frozen_set_hash", "seats", "waitlist_size"):
        if bundle[name] != committed[name]:
            fail(f"{name}: the bundle says {bundle[name]!r}, the commitment says {committed[name]!r}")
    if float(bundle["weight_cap"]) != float(committed["weight_cap"]):
        fail(f"weight_cap: the bundle says {bundle['weight_cap']!r}, the commitment says {committed['weight_cap']!r}")
    rolled = run["run_id"] in history.undone
    if (bundle["status"] == "rolled_back") != rolled:
        fail(f"status: the bundle says {bundle['status']}, but the log "
             f"{'rolls the run back' if rolled else 'shows no rollback of it'}")
    seed = bytes.fromhex(bundle["seed"])
    if sha256_hex(seed) != committed["seed_hash"]:
        fail("the seed does not match the committed seed_hash")
    randomness = beacon_randomness(committed["beacon"], bundle["beacon"], "the bundle's beacon")
    if bundle["beacon"] != run["beacon"]:
        fail(f"the bundle's beacon is not the one its run's log entry (seq {run_entry['seq']}) records")
    records, ranked = check_entries_v2(bundle, committed, seed, randomness)
    eligible = sum(1 for e in bundle["entries"] if e["decision"] in DRAWN)
    if eligible != run["eligible"]:
        fail(f"the bundle has {eligible} eligible entries, its run's log entry says {run['eligible']}")
    for said, by in ((bundle["result_hash"], "the bundle"), (run["result_hash"], f"the log's run entry (seq "
                                                                                   f"{run_entry['seq']})")):
        if said != result_hash(ranked):
            fail(f"result hash: {by} says {short(said)}, the ranking gives {short(result_hash(ranked))}")
    check_reopens(history, run_entry, records)
    print_me(bundle["entries"], me)
    winners = min(len(ranked), int(committed["seats"]))
    print(f"VERIFIED: {len(records)} entries, {eligible} eligible, {winners} winners, {len(ranked) - winners} on the "
          f"waitlist; {len(history.runs)} run(s), {history.reopenings} reopening(s) in the log up to seq "
          f"{log[-1]['seq']} (head {short(log[-1]['hash'])}); commitment {short(bundle['commitment'])}, beacon "
          f"round {bundle['beacon']['round']} (LOTTERY4)")
    for reclosed in (e["record"] for e in log if e["campaign_id"] == bundle["campaign_id"] and e["kind"] == "reclosed"):
        print(f"reopening {reclosed['reopening']}: " + (
            f"{len(reclosed['changes'])} change(s), new commitment {short(reclosed['commitment'])}, beacon round "
            f"{reclosed['committed']['beacon']['round']}" if reclosed["changed"]
            else "no change (the commitment, the beacon round and every key kept)"))


# --- an export and its reveal (§6, §8.7) --------------------------------------------------------------------

def entry_set_hash(rows: list[ExportRow], algorithm: str) -> str:
    """The eligible set: LOTTERY1 text lines; later 16-byte records u_i (uint64) || w_i (float64), LE,
    sorted by user id."""
    by_user = sorted(rows, key=lambda r: r["user_id"])
    if algorithm == "LOTTERY1":
        return sha256_hex("".join(f"{r['user_id']},{r['weight']!r}\n" for r in by_user).encode())
    return sha256_hex(b"".join(struct.pack("<Qd", r["user_id"], r["weight"]) for r in by_user))


def reveal_key(reveal: Entry, algorithm: str) -> bytes:
    """The AES key of the run's keys, after checking what binds it: the seed (LOTTERY4: and the beacon)."""
    seed = bytes.fromhex(reveal["seed"])
    if algorithm != "LOTTERY4":
        if sha256_hex(seed) != reveal["commitment"]:
            fail("the revealed seed does not match the commitment")
        return seed
    committed = reveal["committed"]
    if sha256_hex(canonical(committed)) != reveal["commitment"]:
        fail("the reveal's `committed` does not hash to its commitment")
    if sha256_hex(seed) != committed["seed_hash"]:
        fail("the revealed seed does not match the committed seed_hash")
    for name in ("seats", "waitlist_size"):
        if reveal[name] != committed[name]:
            fail(f"{name}: the reveal says {reveal[name]!r}, the commitment says {committed[name]!r}")
    return key_seed(seed, beacon_randomness(committed["beacon"], reveal["beacon"], "the reveal's beacon"))


def verify_export(csv_path: str, reveal_path: str) -> None:
    with open(reveal_path) as f:
        reveal = json.load(f)
    algorithm = reveal.get("algorithm", "LOTTERY1")
    if algorithm not in MANTISSA_BITS:
        fail(f"unknown algorithm {algorithm!r}: this script knows {', '.join(MANTISSA_BITS)}")
    key = reveal_key(reveal, algorithm)
    with open(csv_path, newline="") as f:
        rows: list[ExportRow] = [
            {"rank": int(r["rank"]) if r["rank"] else None, "user_id": int(r["kakao_user_id"]),
             "draw_id": int(r["draw_id"] if algorithm in PSEUDONYMOUS else r["kakao_user_id"]),
             "outcome": r["outcome"], "weight": float(r["weight"]), "key": float(r["key"])}
            for r in csv.DictReader(f)
        ]
    if entry_set_hash(rows, algorithm) != reveal["entry_set_hash"]:
        fail("the exported entries do not hash to the entry-set hash fixed before the draw")
    keys = keys_for(key, rows, algorithm)
    for row, k in zip(rows, keys):
        if not math.isclose(row["key"], k, rel_tol=KEY_TOLERANCE):
            fail(f"user {row['user_id']}: exported key {row['key']!r}, recomputed {k!r}")
    ranked = sorted(range(len(rows)), key=lambda i: (rows[i]["key"], rows[i]["draw_id"]))  # checked keys (§4)
    expected = places([str(rows[i]["user_id"]) for i in ranked], int(reveal["seats"]), int(reveal["waitlist_size"]))
    for row in rows:
        want = expected.get(str(row["user_id"]), (None, "not_selected"))
        if (row["rank"], row["outcome"]) != want:
            fail(f"user {row['user_id']}: exported rank/outcome {row['rank']}/{row['outcome']}, "
                 f"recomputed {want[0]}/{want[1]}")
    winners = sum(1 for _, outcome in expected.values() if outcome == "winner")
    print(f"VERIFIED: {len(rows)} entrants, {winners} winners, {len(expected) - winners} on the waitlist; "
          f"seed matches commitment {short(reveal['commitment'])} ({algorithm})")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", metavar="FILE", help="bundle.json, or export.csv reveal.json")
    parser.add_argument("--me", help="your pseudonym (LOTTERY2 bundles: your Kakao user id)")
    parser.add_argument("--head", help="SEQ:HASH, a head of the public commitment log you saw earlier")
    arguments = parser.parse_args(argv)
    if len(arguments.files) == 2:
        verify_export(*arguments.files)
        return
    if len(arguments.files) != 1:
        parser.error("give one bundle, or an export and its reveal")
    head = None
    if arguments.head:
        seq, _, digest = arguments.head.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            parser.error("--head is SEQ:HASH, e.g. 42:<64 hex digits>")
        head = (int(seq), digest)
    with open(arguments.files[0]) as f:
        bundle = json.load(f)
    if bundle.get("format") == "lottery-bundle/2":
        verify_bundle_v2(bundle, arguments.me, head)
    elif head is not None:
        parser.error("--head needs a bundle 2 (lottery-bundle/2): bundle 1 carries no commitment log")
    else:
        verify_bundle_v1(bundle, arguments.me)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (KeyError, TypeError, ValueError, IndexError) as error:  # a field missing or of the wrong shape
        fail(f"the file is not a well-formed bundle or reveal ({type(error).__name__}: {error}); "
             "docs/bundle.schema.json describes a bundle")
