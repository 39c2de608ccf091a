"""Small honest bundles for the verifier's tests, written from docs/draw-algorithm.md alone (bundle 2: §8) in
plain Python: a campaign of 13 entry rows (an exempt entrant, a legacy duplicate, every exclusion) closed,
drawn, rolled back, reopened with a correction (one entrant flagged, one weight recalculated), reopened again
with no change, given one more seat, and drawn again; other campaigns' entries interleaved in the log.

The beacon is a drand-style chain under a fixed test key (docs/draw-algorithm.md §8.4, known answers): its
signatures were made once with py_ecc outside the repository and are constants here."""

import hashlib
import hmac
import json
import math
import struct
from functools import cache
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SECRET, CAMPAIGN, DRAW_AT = "known-answer server secret", "kat-campaign", "2026-12-01T20:00:00+09:00"
DECISIONS = ("eligible", "eligible_exempt", "duplicate", "blacklist", "suspicious", "precondition")
BEACON = {"chain_hash": "b18ed073d594a1d407b16c577c283498dba4ae65d21d03178339d6fb5e61de8a",
          "genesis_time": 1_764_547_200, "period": 3, "scheme": "bls-unchained-g1-rfc9380",
          "public_key": "8e79b6d0a348e47e255984041d68e02c976f21e785f55e2ef9fd39d1b4b8b8f9e51e8b1b539985388760dce"
                        "898d5ab1a0afbfbfb723e2c3d8f98841123a5f056ce7373b5c19714de0b8fae9793c4a3e2f731070354942857a4"
                        "5cf978661a012a"}
SIGNATURES = {  # round → signature; the rounds due after 19:00 and 19:30 KST on 2026-12-01 (§8.3)
    10524003: "8a8b9ab7e15ba42e6101420c80eec3bcf22aa173b52944f39b8e3459d27429a8cea34f0313e7e150f55dfcebf067cb8c",
    10524603: "b4c3ca50d4a2a9ca72681f63f1b5e92fc7c3a76162b520716e5dadf42101dbeb900ce3f874beb1dda840e8713f8f18b8"}
ROWS = [(101, "eligible", 1.0), (102, "eligible", 2.0), (103, "eligible_exempt", 1.0), (104, "eligible", 0.5),
        (105, "suspicious", 1.0), (106, "eligible", 3.0), (106, "duplicate", 3.0), (107, "eligible", 1.5),
        (108, "eligible", 1.0), (109, "blacklist", 1.0), (110, "eligible", 4.0), (111, "precondition", 1.0),
        (112, "eligible", 2.5)]
CORRECTED = {110: ("suspicious", 4.0), 104: ("eligible", 2.0)}  # reopening 1: a bot flagged, a weight recalculated


def H(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def aes(key: bytes, block: bytes) -> bytes:
    return Cipher(algorithms.AES(key), modes.ECB()).encryptor().update(block)


SEED = hashlib.sha256(f"{CAMPAIGN}{DRAW_AT}{SECRET}".encode()).digest()
PSEUDONYM_KEY = hmac.new(SECRET.encode(), f"pseudonym-key{CAMPAIGN}".encode(), hashlib.sha256).digest()


def pseudonym(user: int) -> str:
    return aes(PSEUDONYM_KEY, b"LOTTERY4" + user.to_bytes(8, "little"))[:8].hex()


def corrected(rows: list[tuple[int, str, float]]) -> list[tuple[int, str, float]]:
    return [(u, *CORRECTED[u]) if u in CORRECTED else (u, d, w) for u, d, w in rows]


def frozen_hash(rows: list[tuple[int, str, float]]) -> str:
    records = sorted((pseudonym(u), DECISIONS.index(d), w) for u, d, w in rows)
    return H(b"".join(bytes.fromhex(p) + struct.pack("<Bd", c, w) for p, c, w in records))


def committed(rows: list[tuple[int, str, float]], round_: int, seats: int = 3) -> dict[str, Any]:
    return {"algorithm": "LOTTERY4", "beacon": {**BEACON, "round": round_}, "campaign_id": CAMPAIGN,
            "draw_at_kst": DRAW_AT, "frozen_set_hash": frozen_hash(rows), "seats": seats, "seed_hash": H(SEED),
            "waitlist_size": 2, "weight_cap": "5.0"}


def beacon(round_: int) -> dict[str, Any]:
    return {"round": round_, "randomness": H(bytes.fromhex(SIGNATURES[round_])), "signature": SIGNATURES[round_]}


def drawn(rows: list[tuple[int, str, float]], round_: int, seats: int) -> list[dict[str, Any]]:
    """The bundle's entries (§8.7) with keys by §8.4: sorted by (pseudonym, code, weight)."""
    key_seed = hashlib.sha256(SEED + bytes.fromhex(beacon(round_)["randomness"])).digest()
    lines = []
    for user, decision, weight in rows:
        line: dict[str, Any] = {"pseudonym": pseudonym(user), "decision": decision, "weight": weight}
        if decision in DECISIONS[:2]:
            m = int.from_bytes(aes(key_seed, b"LOTTERY4" + bytes.fromhex(line["pseudonym"]))[:8], "little") >> 12
            line["key"] = -math.log((m + 0.5) / 2**52) / max(weight, 1e-9)
        lines.append(line)
    ranked = sorted((e for e in lines if "key" in e), key=lambda e: (e["key"], int.from_bytes(
        bytes.fromhex(e["pseudonym"]), "little")))
    for rank, line in enumerate(ranked, start=1):
        line["rank"] = rank if rank <= seats + 2 else None
        line["outcome"] = "winner" if rank <= seats else "waitlist" if rank <= seats + 2 else "not_selected"
    return sorted(lines, key=lambda e: (e["pseudonym"], DECISIONS.index(e["decision"]), e["weight"]))


def result_hash(entries: list[dict[str, Any]]) -> str:
    ranked = sorted((e for e in entries if e.get("rank")), key=lambda e: e["rank"])
    return H(b"".join(bytes.fromhex(e["pseudonym"]) for e in ranked))


def changes() -> list[dict[str, Any]]:
    before, after = ROWS, corrected(ROWS)
    rows = [{"pseudonym": pseudonym(u), "from": d, "to": d2, "weight_from": repr(w), "weight_to": repr(w2)}
            for (u, d, w), (_, d2, w2) in zip(before, after, strict=True) if (d, w) != (d2, w2)]
    return sorted(rows, key=lambda c: (c["pseudonym"], c["from"], c["to"], float(c["weight_from"]),
                                       float(c["weight_to"])))


class Log:
    """The public log (§8.5) from seq 7 on; entries of `other-campaign` interleave with the campaign's."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.last: dict[str, tuple[int, str]] = {CAMPAIGN: (0, "0" * 64),
                                                 "other-campaign": (3, H(b"other-campaign entry 3"))}

    def add(self, at: str, kind: str, record: dict[str, Any], campaign: str = CAMPAIGN) -> None:
        number, campaign_previous = self.last[campaign]
        previous = self.entries[-1]["hash"] if self.entries else H(b"entry 6")  # seq 6: before the bundle's log
        entry: dict[str, Any] = {"seq": 7 + len(self.entries), "previous": previous, "campaign_id": campaign,
                                 "number": number + 1, "campaign_previous": campaign_previous,
                                 "at": f"2026-12-01T{at}+09:00", "kind": kind, "record": record}
        entry["hash"] = H(canonical(entry))
        self.entries.append(entry)
        self.last[campaign] = (number + 1, entry["hash"])


@cache
def _bundles() -> dict[str, dict[str, Any]]:
    first, second, late = committed(ROWS, 10524003), committed(corrected(ROWS), 10524603), 10524603
    more = {**second, "seats": 4}
    c1, c2, c3 = (H(canonical(c)) for c in (first, second, more))
    entries = {"run-1": drawn(ROWS, 10524003, 3), "run-2": drawn(corrected(ROWS), late, 4)}
    log = Log()
    log.add("19:00:00", "closed", {"commitment": c1, "committed": first})
    log.add("19:05:00", "rolled_back", {"run_id": "other-run", "reason": "wrong seats"}, "other-campaign")
    for run, previous, commitment, round_ in (("run-1", None, c1, 10524003), ("run-2", "run-1", c3, late)):
        if run == "run-2":
            log.add("19:15:00", "reopened", {"reopening": 1, "reason": "a bot farm", "commitment": c1})
            log.add("19:30:00", "reclosed", {"reopening": 1, "changed": True, "from_frozen_set_hash":
                                             first["frozen_set_hash"], "changes": changes(), "commitment": c2,
                                             "committed": second})
            log.add("19:35:00", "reopened", {"reopening": 2, "reason": "checked again", "commitment": c2})
            log.add("19:36:00", "reclosed", {"reopening": 2, "changed": False, "from_frozen_set_hash":
                                             second["frozen_set_hash"], "changes": [], "commitment": c2,
                                             "committed": second})
            log.add("19:40:00", "places_changed", {"reason": "one more seat", "previous_commitment": c2,
                                                   "commitment": c3, "committed": more})
        log.add("19:10:00" if run == "run-1" else "19:45:00", "run", {
            "run_id": run, "previous_run_id": previous, "commitment": commitment, "beacon": beacon(round_),
            "eligible": sum(1 for e in entries[run] if "key" in e), "result_hash": result_hash(entries[run])})
        if run == "run-1":
            log.add("19:12:00", "rolled_back", {"run_id": run, "reason": "a bot farm won a seat"})
    log.add("19:50:00", "reopened", {"reopening": 1, "reason": "a correction", "commitment": H(b"other")},
            "other-campaign")
    head = {"seq": log.entries[-1]["seq"], "hash": log.entries[-1]["hash"]}
    return {run: {"format": "lottery-bundle/2", "run_id": run, "campaign_id": CAMPAIGN,
                  "status": "rolled_back" if run == "run-1" else "completed", "draw_at_kst": DRAW_AT,
                  "algorithm": "LOTTERY4", "seed": SEED.hex(), "commitment": H(canonical(c)), "committed": c,
                  "frozen_set_hash": c["frozen_set_hash"], "seats": c["seats"], "waitlist_size": 2,
                  "weight_cap": c["weight_cap"], "beacon": beacon(c["beacon"]["round"]),
                  "result_hash": result_hash(entries[run]), "log": {"head": head, "entries": log.entries},
                  "entries": entries[run]}
            for run, c in (("run-1", first), ("run-2", more))}


def bundle_2(run: str = "run-2") -> dict[str, Any]:
    """A fresh copy of the bundle of run-2 (completed, after both reopenings and the seat change) or of run-1
    (rolled back, drawn from the set at the first close)."""
    copied: dict[str, Any] = json.loads(json.dumps(_bundles()[run]))  # as read from a file: nothing shared
    return copied
