"""Tampered copies of a published bundle, each with the words tools/verify_draw.py must answer it with. Pure.

Every tamper takes any bundle dict (bundle 2, and bundle 1 where the tamper means something there) and
returns a tampered deep copy, or None where that bundle has nothing to tamper with (no reopen, one run…).
Where a tamper edits the public log it rewrites the log consistently (every hash, link and number after the
edit, and the head), as whoever controls the server could: what catches it is then the meaning of the
history, not a broken chain. Only a head seen earlier (`--head`) catches a consistent rewrite that breaks
no rule (`rewritten_log`). Independent of how the bundle was made: the fleet's real bundles go through the
same matrix as the tests' small one:

    for tamper in TAMPERS:
        tampered = tamper.apply(bundle)             # None: nothing of the kind in this bundle
        head = bundle["log"]["head"]                # only for tamper.head_from_before
        run verify_draw.py on it (+ --head SEQ:HASH) → exit 1, and tamper.says in what it prints

A weight change left out of a reopen's list needs a bundle whose log has a re-close with a weight change."""

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Bundle = dict[str, Any]


@dataclass(frozen=True)
class Tamper:
    name: str
    apply: Callable[[Bundle], Bundle | None]
    says: str
    """A fragment of the verifier's failure message."""
    head_from_before: bool = False
    """Verify with `--head SEQ:HASH` of the untampered bundle's head."""


def _copy(bundle: Bundle) -> Bundle:
    """A copy sharing nothing (a deep copy would keep one object shared where the bundle shares it)."""
    copied: Bundle = json.loads(json.dumps(bundle))
    return copied


def _hash(entry: dict[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                          .encode()).hexdigest()


def rechain(bundle: Bundle) -> Bundle:
    """Seqs, numbers, links and hashes recomputed in list order, and the head moved to the last entry."""
    entries = bundle["log"]["entries"]
    last: dict[str, tuple[int, str]] = {}
    for i, entry in enumerate(entries):
        if i:
            entry["seq"], entry["previous"] = entries[i - 1]["seq"] + 1, entries[i - 1]["hash"]
        if entry["campaign_id"] in last:
            number, previous = last[entry["campaign_id"]]
            entry["number"], entry["campaign_previous"] = number + 1, previous
        entry["hash"] = _hash(entry)
        last[entry["campaign_id"]] = (entry["number"], entry["hash"])
    bundle["log"]["head"] = {"seq": entries[-1]["seq"], "hash": entries[-1]["hash"]}
    return bundle


def _v2(bundle: Bundle) -> bool:
    return bundle.get("format") == "lottery-bundle/2"


Apply = Callable[[Bundle], Bundle | None]


def on_a_copy(tamper: Apply) -> Apply:
    """The tamper works on a copy: the bundle it is given stays as it was."""

    @functools.wraps(tamper)
    def apply(bundle: Bundle) -> Bundle | None:
        return tamper(_copy(bundle))

    return apply


def bundle_2_only(tamper: Apply) -> Apply:
    """Bundle 1 carries no committed seats, beacon or log: nothing of this to tamper with there."""

    @functools.wraps(tamper)
    def apply(bundle: Bundle) -> Bundle | None:
        return tamper(_copy(bundle)) if _v2(bundle) else None

    return apply


def _log_index(bundle: Bundle, kind: str, **record: Any) -> int:
    """The position in the log of the campaign's last entry of that kind with that record (-1: none)."""
    found = [i for i, e in enumerate(bundle["log"]["entries"]) if e["campaign_id"] == bundle["campaign_id"]
             and e["kind"] == kind and all(e["record"].get(k) == v for k, v in record.items())]
    return found[-1] if found else -1


def _drawn(bundle: Bundle, outcome: str) -> list[dict[str, Any]]:
    return sorted((e for e in bundle["entries"] if e.get("outcome") == outcome), key=lambda e: e["rank"])


@on_a_copy
def entries_reordered(tampered: Bundle) -> Bundle | None:
    entries = tampered["entries"]
    i = next((i for i in range(1, len(entries)) if entries[i]["pseudonym"] != entries[i - 1]["pseudonym"]), None)
    if i is None:
        return None
    entries[i - 1], entries[i] = entries[i], entries[i - 1]
    return tampered


@on_a_copy
def weight_changed(tampered: Bundle) -> Bundle | None:
    entry = next(e for e in tampered["entries"] if e.get("outcome") == "not_selected" or e.get("rank"))
    entry["weight"] = entry["weight"] * 2 + 1
    return tampered


@on_a_copy
def decision_changed(tampered: Bundle) -> Bundle | None:
    """A winner turned into a suspicious entry, as if it had been excluded."""
    winner = _drawn(tampered, "winner")[0]
    for field in ("key", "rank", "outcome"):
        del winner[field]
    winner["decision"] = "suspicious"
    return tampered


@on_a_copy
def run_dropped(tampered: Bundle) -> Bundle | None:
    """The run before the bundle's own (and its rollback) dropped from the history."""
    if not _v2(tampered):
        runs = tampered["runs"]
        own = next((i for i, r in enumerate(runs) if r["run_id"] == tampered["run_id"]), 0)
        if own == 0 or "previous_run_id" not in runs[own]:
            return None
        del runs[own - 1]
        return tampered
    own = _log_index(tampered, "run", run_id=tampered["run_id"])
    previous = tampered["log"]["entries"][own]["record"]["previous_run_id"] if own >= 0 else None
    if previous is None:
        return None
    for kind in ("rolled_back", "run"):
        del tampered["log"]["entries"][_log_index(tampered, kind, run_id=previous)]
    return rechain(tampered)


@on_a_copy
def reopen_dropped(tampered: Bundle) -> Bundle | None:
    """The last reopen that changed the set before the bundle's run dropped (bundle 1: the last reopening, when
    the bundle's run is the live one, drawn after it)."""
    if not _v2(tampered):
        if not tampered.get("reopenings") or tampered["status"] != "completed":
            return None
        tampered["reopenings"].pop()
        return tampered
    entries, own = tampered["log"]["entries"], _log_index(tampered, "run", run_id=tampered["run_id"])
    closes = [i for i, e in enumerate(entries[: max(own, 0)]) if e["campaign_id"] == tampered["campaign_id"]
              and e["kind"] == "reclosed" and e["record"]["changed"]]
    if not closes:
        return None
    number = entries[closes[-1]]["record"]["reopening"]
    del entries[closes[-1]]
    del entries[_log_index(tampered, "reopened", reopening=number)]
    return rechain(tampered)


@bundle_2_only
def log_entries_swapped(tampered: Bundle) -> Bundle | None:
    """The bundle's run and the log entry before it, swapped as they are (no hash recomputed)."""
    entries, i = tampered["log"]["entries"], _log_index(tampered, "run", run_id=tampered["run_id"])
    if i < 1:
        return None
    entries[i - 1], entries[i] = entries[i], entries[i - 1]
    return tampered


@bundle_2_only
def seats_changed(tampered: Bundle) -> Bundle | None:
    tampered["seats"] += 1
    return tampered


@bundle_2_only
def seats_committed_changed(tampered: Bundle) -> Bundle | None:
    """Seats changed in the bundle and in its `committed`, the commitment recomputed to match."""
    tampered["seats"] += 1
    tampered["committed"]["seats"] += 1
    tampered["commitment"] = _hash(tampered["committed"])
    return tampered


@on_a_copy
def waitlist_swapped(tampered: Bundle) -> Bundle | None:
    waitlist = _drawn(tampered, "waitlist")
    if len(waitlist) < 2:
        return None
    waitlist[0]["rank"], waitlist[1]["rank"] = waitlist[1]["rank"], waitlist[0]["rank"]
    return tampered


@on_a_copy
def winner_swapped_with_waitlist(tampered: Bundle) -> Bundle | None:
    winners, waitlist = _drawn(tampered, "winner"), _drawn(tampered, "waitlist")
    if not waitlist:
        return None
    a, b = winners[-1], waitlist[0]
    (a["rank"], a["outcome"]), (b["rank"], b["outcome"]) = (b["rank"], b["outcome"]), (a["rank"], a["outcome"])
    return tampered


@bundle_2_only
def weight_change_unlisted(tampered: Bundle) -> Bundle | None:
    """A weight change removed from a reopen's change list (the correction hid a recalculation)."""
    for entry in tampered["log"]["entries"]:
        if entry["campaign_id"] == tampered["campaign_id"] and entry["kind"] == "reclosed":
            changes = entry["record"]["changes"]
            hidden = [c for c in changes if float(c["weight_from"]) != float(c["weight_to"])]
            if hidden:
                changes.remove(hidden[0])
                return rechain(tampered)
    return None


def _flip_last_digit(digits: str) -> str:
    return digits[:-1] + ("0" if digits[-1] != "0" else "1")


@bundle_2_only
def beacon_signature_altered(tampered: Bundle) -> Bundle | None:
    tampered["beacon"]["signature"] = _flip_last_digit(tampered["beacon"]["signature"])
    return tampered


@bundle_2_only
def beacon_randomness_altered(tampered: Bundle) -> Bundle | None:
    tampered["beacon"]["randomness"] = _flip_last_digit(tampered["beacon"]["randomness"])
    return tampered


@bundle_2_only
def beacon_round_altered(tampered: Bundle) -> Bundle | None:
    tampered["beacon"]["round"] += 1
    return tampered


@on_a_copy
def seed_altered(tampered: Bundle) -> Bundle | None:
    tampered["seed"] = _flip_last_digit(tampered["seed"])
    return tampered


@bundle_2_only
def head_altered(tampered: Bundle) -> Bundle | None:
    tampered["log"]["head"]["hash"] = _flip_last_digit(tampered["log"]["head"]["hash"])
    return tampered


@bundle_2_only
def result_hash_altered(tampered: Bundle) -> Bundle | None:
    """The log's record of the run's result (winners and waitlist in order) changed, the log rewritten."""
    run = tampered["log"]["entries"][_log_index(tampered, "run", run_id=tampered["run_id"])]
    run["record"]["result_hash"] = _flip_last_digit(run["record"]["result_hash"])
    return rechain(tampered)


@bundle_2_only
def rewritten_log(tampered: Bundle) -> Bundle | None:
    """A change no rule of the history catches (the run's time, a second later), the log rewritten after it."""
    run = tampered["log"]["entries"][_log_index(tampered, "run", run_id=tampered["run_id"])]
    run["at"] = run["at"][:17] + f"{(int(run['at'][17:19]) + 1) % 60:02d}" + run["at"][19:]
    return rechain(tampered)


TAMPERS = [
    Tamper("entries reordered", entries_reordered, "entries are not in order"),
    Tamper("an entry's weight changed", weight_changed, "frozen-set hash"),
    Tamper("a winner's decision changed", decision_changed, "frozen-set hash"),
    Tamper("the run before dropped", run_dropped, "previous_run_id"),
    Tamper("a reopen dropped", reopen_dropped, "commitment in force"),
    Tamper("two log entries swapped", log_entries_swapped, "the log is out of order"),
    Tamper("seats changed in the bundle", seats_changed, "seats: the bundle says"),
    Tamper("seats changed in the bundle and its commitment", seats_committed_changed, "its run was drawn under"),
    Tamper("two waitlisted ranks swapped", waitlist_swapped, "published rank/outcome"),
    Tamper("a winner swapped with the waitlist", winner_swapped_with_waitlist, "published rank/outcome"),
    Tamper("a weight change left out of a reopen's list", weight_change_unlisted, "change list"),
    Tamper("the beacon's signature altered", beacon_signature_altered, "does not verify"),
    Tamper("the beacon's randomness altered", beacon_randomness_altered, "not SHA-256 of its signature"),
    Tamper("the beacon's round altered", beacon_round_altered, "the commitment fixed round"),
    Tamper("the seed altered", seed_altered, "the seed does not match"),
    Tamper("the log's head altered", head_altered, "the log's head"),
    Tamper("the run's result hash altered in the log", result_hash_altered, "result hash"),
    Tamper("the log rewritten after a head was seen", rewritten_log, "the head you saw", head_from_before=True),
]
