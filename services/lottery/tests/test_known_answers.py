"""The known-answer vectors of docs/draw-algorithm.md, read from the document itself, against the engine and
the outsider's script (tools/verify_draw.py): if either drifts from what the document promises, this fails.
Each block names what it checks (`vector`): keys under each algorithm, the seed formula, the entry-set and
frozen-set hashes, beacon rounds, and LOTTERY4's commitment, log and reopen. Where the document's words can be
followed in a few lines of plain Python (draw ids, the seed), that is checked too."""

import hashlib
import hmac
import importlib
import importlib.util
import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from lottery_service.domain import draw_engine
from lottery_service.domain.draw_engine import ALGORITHMS, Entrants, keys_agree
from lottery_service.domain.eligibility import decision_codes
from lottery_service.domain.frozen_set import frozen_set_hash
from lottery_service.domain.pseudonyms import draw_ids, pseudonym_key

ROOT = Path(__file__).resolve().parents[3]
BLOCKS = [json.loads(block) for block in re.findall(r"```json known-answers\n(.*?)```",
                                                     (ROOT / "docs" / "draw-algorithm.md").read_text(), flags=re.S)]
ENGINE_HAS_LOTTERY4 = hasattr(draw_engine, "LOTTERY4") and all(
    importlib.util.find_spec(f"lottery_service.domain.{name}") is not None for name in ("commitments", "beacon"))
lottery4_engine = pytest.mark.xfail(not ENGINE_HAS_LOTTERY4, reason="engine side lands with the coordinator",
                                    strict=False)


def block(vector: str, algorithm: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = next(b for b in BLOCKS if b["vector"] == vector and b.get("algorithm") == algorithm)
    return found


def algorithm_named(name: str) -> draw_engine.Algorithm:
    algorithm: draw_engine.Algorithm = getattr(draw_engine, name)  # LOTTERY4 once the engine has it
    return algorithm


KEYS = [pytest.param(b, id=b["algorithm"], marks=lottery4_engine if b["algorithm"] == "LOTTERY4" else ())
        for b in BLOCKS if b["vector"] == "keys"]


def test_the_document_has_every_vector() -> None:
    assert sorted((b["vector"], b.get("algorithm") or "") for b in BLOCKS) == [
        ("beacon", ""), ("commitment_log", ""), ("entry_set_hash", ""), ("frozen_set_hash", ""),
        ("keys", "LOTTERY1"), ("keys", "LOTTERY2"), ("keys", "LOTTERY3"), ("keys", "LOTTERY4"), ("reopen", ""),
        ("seed", "")]


@pytest.fixture(scope="module")
def verifier() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_draw", ROOT / "tools" / "verify_draw.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def documented_draw_ids(vectors: dict[str, Any], users: list[int], algorithm: str) -> list[int]:
    """p_i as the document words it, in plain Python: HMAC, then AES (the user id itself before LOTTERY3)."""
    if algorithm in ("LOTTERY1", "LOTTERY2"):
        return users
    key = hmac.new(vectors["server_secret"].encode(), f"pseudonym-key{vectors['campaign_id']}".encode(),
                   hashlib.sha256).digest()
    assert "pseudonym_key" not in vectors or key.hex() == vectors["pseudonym_key"]
    encrypt = Cipher(algorithms.AES(key), modes.ECB()).encryptor().update
    return [int.from_bytes(encrypt(algorithm.encode() + u.to_bytes(8, "little"))[:8], "little") for u in users]


def aes_key(vectors: dict[str, Any]) -> bytes:
    """The AES key of the keys: the seed, or LOTTERY4's key_seed = SHA-256(seed || randomness) (§8.4)."""
    seed = bytes.fromhex(vectors["seed"])
    if vectors["algorithm"] != "LOTTERY4":
        return seed
    key_seed = hashlib.sha256(seed + bytes.fromhex(vectors["beacon"]["randomness"])).digest()
    assert key_seed.hex() == vectors["key_seed"]
    return key_seed


@pytest.mark.parametrize("vectors", KEYS)
def test_the_engine_gives_the_documented_draw_ids_mantissas_keys_and_ranking(vectors: dict[str, Any]) -> None:
    algorithm, rows = algorithm_named(vectors["algorithm"]), vectors["entrants"]
    users = np.array([r["user_id"] for r in rows], dtype=np.uint64)
    ids = documented_draw_ids(vectors, users.tolist(), algorithm.name)
    if algorithm.pseudonymous:
        key = pseudonym_key(vectors["server_secret"], vectors["campaign_id"])
        assert draw_ids(key, users, algorithm).tolist() == ids == [r["draw_id"] for r in rows]
    if algorithm.name == "LOTTERY4":
        key_seed = importlib.import_module("lottery_service.domain.beacon").key_seed
        assert key_seed(bytes.fromhex(vectors["seed"]), vectors["beacon"]["randomness"]).hex() == vectors["key_seed"]
    entrants = Entrants(users, np.array([r["weight"] for r in rows], dtype=np.float64),
                        np.array(ids, dtype=np.uint64) if algorithm.pseudonymous else None)
    assert mantissas_of(aes_key(vectors), entrants, algorithm) == [r["m"] for r in rows]
    keys = draw_engine.exponential_keys(aes_key(vectors), entrants, algorithm).tolist()
    assert all(keys_agree(r["key"], key) for r, key in zip(rows, keys, strict=True)), keys
    result = draw_engine.run_draw(entrants, aes_key(vectors), vectors["seats"], vectors["waitlist_size"], algorithm)
    assert result.user_ids.tolist() == vectors["ranked"]


def mantissas_of(key: bytes, entrants: Entrants, algorithm: draw_engine.Algorithm) -> list[int]:
    ints: list[int] = draw_engine.mantissas(key, entrants.draw_ids, algorithm).astype(np.int64).tolist()
    return ints


@pytest.mark.parametrize("vectors", [pytest.param(b.values[0], id=b.id) for b in KEYS])
def test_the_outsiders_script_gives_the_documented_keys(vectors: dict[str, Any], verifier: ModuleType) -> None:
    users = [r["user_id"] for r in vectors["entrants"]]
    ids = documented_draw_ids(vectors, users, vectors["algorithm"])
    rows = [{"rank": None, "user_id": r["user_id"], "draw_id": i, "outcome": "", "weight": r["weight"], "key": r["key"]}
            for r, i in zip(vectors["entrants"], ids, strict=True)]
    keys = verifier.keys_for(aes_key(vectors), rows, vectors["algorithm"])
    assert all(keys_agree(r["key"], key) for r, key in zip(rows, keys, strict=True)), keys
    order = sorted(range(len(rows)), key=lambda i: (keys[i], ids[i]))[: vectors["seats"] + vectors["waitlist_size"]]
    assert [users[i] for i in order] == vectors["ranked"]
    if vectors["algorithm"] == "LOTTERY4":
        beacon = vectors["beacon"]
        assert verifier.key_seed(bytes.fromhex(vectors["seed"]), beacon["randomness"]).hex() == vectors["key_seed"]
        names = [i.to_bytes(8, "little").hex() for i in ids]
        assert names == [r["pseudonym"] for r in vectors["entrants"]]
        assert verifier.result_hash([names[i] for i in order]) == vectors["result_hash"]
        rows_as_eligible = [(name, 0, r["weight"]) for name, r in zip(names, vectors["entrants"], strict=True)]
        assert verifier.frozen_hash_v2(rows_as_eligible) == vectors["frozen_set_hash"]


def test_the_seed_formula_and_the_older_reopened_seed(verifier: ModuleType) -> None:
    vectors = block("seed")
    seed, secret = bytes.fromhex(vectors["seed"]), vectors["server_secret"]
    plain = hashlib.sha256(f"{vectors['campaign_id']}{vectors['draw_at_kst']}{secret}".encode()).digest()
    assert draw_engine.derive_seed(vectors["campaign_id"], datetime.fromisoformat(vectors["draw_at_kst"]),
                                   secret) == plain == seed
    assert draw_engine.commitment(seed) == verifier.sha256_hex(seed) == vectors["seed_hash"]
    assert draw_engine.salted_seed(seed, bytes.fromhex(vectors["salt"]), secret).hex() == vectors["reopened_seed"]
    assert hashlib.sha256(b"known-answer reopen salt").hexdigest() == vectors["salt"]


def test_the_entry_set_hash(verifier: ModuleType) -> None:
    vectors = block("entry_set_hash")
    users = np.array([r["user_id"] for r in vectors["entrants"]], dtype=np.uint64)
    entrants = Entrants(users, np.array([r["weight"] for r in vectors["entrants"]], dtype=np.float64))
    rows = [{"user_id": r["user_id"], "weight": r["weight"]} for r in vectors["entrants"]]
    for name in ("LOTTERY1", "LOTTERY2", "LOTTERY3", "LOTTERY4"):
        want = vectors["LOTTERY1" if name == "LOTTERY1" else "LOTTERY2"]
        assert verifier.entry_set_hash(rows, name) == want, name
        if name in ALGORITHMS:
            assert draw_engine.entry_set_hash(entrants, ALGORITHMS[name]) == want, name


def frozen_rows(vectors: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    entries = vectors["entries"]
    users = np.array([e["user_id"] for e in entries], dtype=np.uint64)
    return users, decision_codes([e["decision"] for e in entries]), np.array([e["weight"] for e in entries])


def test_the_older_frozen_set_hash_over_aes_blocks(verifier: ModuleType) -> None:
    vectors, seed = block("frozen_set_hash"), bytes.fromhex(block("frozen_set_hash")["seed"])
    users, codes, weights = frozen_rows(vectors)
    ids = documented_draw_ids(vectors, users.tolist(), "LOTTERY3")
    assert draw_ids(pseudonym_key(vectors["server_secret"], vectors["campaign_id"]), users,
                    ALGORITHMS["LOTTERY3"]).tolist() == ids == vectors["LOTTERY3"]["draw_ids"]
    engine_ids = np.array(ids, dtype=np.uint64)
    assert draw_engine.aes_blocks(seed, engine_ids, ALGORITHMS["LOTTERY3"]).tobytes().hex() == "".join(
        vectors["LOTTERY3"]["c"])
    assert frozen_set_hash(seed, ALGORITHMS["LOTTERY3"], engine_ids, codes, weights) == vectors["LOTTERY3"][
        "frozen_set_hash"]
    entries = [{**e, "pseudonym": i.to_bytes(8, "little").hex()} for e, i in zip(vectors["entries"], ids, strict=True)]
    blocks = {e["pseudonym"]: verifier.block_of(seed, e["pseudonym"], "LOTTERY3") for e in entries}
    assert [blocks[e["pseudonym"]].hex() for e in entries] == vectors["LOTTERY3"]["c"]
    assert verifier.frozen_set_hash(entries, blocks) == vectors["LOTTERY3"]["frozen_set_hash"]


def lottery4_records(vectors: dict[str, Any], entries: list[dict[str, Any]], verifier: ModuleType) -> list[Any]:
    ids = documented_draw_ids(block("frozen_set_hash"), [e["user_id"] for e in entries], "LOTTERY4")
    return [(i.to_bytes(8, "little").hex(), verifier.DECISION_CODES.index(e["decision"]), e["weight"])
            for e, i in zip(entries, ids, strict=True)]


def test_the_frozen_set_hash_over_pseudonyms_by_the_script(verifier: ModuleType) -> None:
    vectors = block("frozen_set_hash")
    records = lottery4_records(vectors, vectors["entries"], verifier)
    assert [name for name, _, _ in records] == vectors["LOTTERY4"]["pseudonyms"]
    assert [int.from_bytes(bytes.fromhex(n), "little") for n, _, _ in records] == vectors["LOTTERY4"]["draw_ids"]
    assert verifier.frozen_hash_v2(records) == vectors["LOTTERY4"]["frozen_set_hash"]


@lottery4_engine
def test_the_frozen_set_hash_over_pseudonyms_by_the_engine() -> None:
    vectors = block("frozen_set_hash")
    users, codes, weights = frozen_rows(vectors)
    lottery4 = algorithm_named("LOTTERY4")
    ids = draw_ids(pseudonym_key(vectors["server_secret"], vectors["campaign_id"]), users, lottery4)
    assert ids.tolist() == vectors["LOTTERY4"]["draw_ids"]
    assert frozen_set_hash(bytes(32), lottery4, ids, codes, weights) == vectors["LOTTERY4"]["frozen_set_hash"]
    after = block("reopen")["entries_after"]
    users, codes, weights = frozen_rows({"entries": after})
    assert frozen_set_hash(bytes(32), lottery4, draw_ids(pseudonym_key(vectors["server_secret"], vectors[
        "campaign_id"]), users, lottery4), codes, weights) == block("reopen")["frozen_set_hash"]


def test_every_documented_beacon_round_verifies(verifier: ModuleType) -> None:
    for beacon in block("beacon")["rounds"]:
        committed = {**beacon, "scheme": block("beacon")["scheme"]}
        assert verifier.beacon_randomness(committed, beacon, beacon["chain"]) == beacon["randomness"]
    assert block("keys", "LOTTERY4")["beacon"]["signature"] in [r["signature"] for r in block("beacon")["rounds"]]


def test_the_commitment_and_the_log_by_the_script(verifier: ModuleType) -> None:
    vectors = block("commitment_log")
    assert verifier.canonical(vectors["committed"]).decode() == vectors["canonical"]
    assert verifier.sha256_hex(vectors["canonical"].encode()) == vectors["commitment"]
    assert all(verifier.entry_hash(entry) == entry["hash"] for entry in vectors["log"])
    history = verifier.History(vectors["committed"]["campaign_id"])
    history.walk(vectors["log"])  # a valid history: closed, run under round R, rolled back
    assert history.undone == {"kat-run-1"} and vectors["log"][1]["record"]["result_hash"] == block(
        "keys", "LOTTERY4")["result_hash"]


@lottery4_engine
def test_the_commitment_and_the_log_by_the_engine() -> None:
    commitments = importlib.import_module("lottery_service.domain.commitments")
    vectors, keys = block("commitment_log"), block("keys", "LOTTERY4")
    assert commitments.canonical(vectors["committed"]).decode() == vectors["canonical"]
    assert commitments.commitment_of(vectors["committed"]) == vectors["commitment"]
    assert commitments.seed_hash(bytes.fromhex(keys["seed"])) == vectors["committed"]["seed_hash"]
    for entry in vectors["log"]:
        assert commitments.entry_hash({k: v for k, v in entry.items() if k != "hash"}) == entry["hash"]
    ranked = {r["user_id"]: r["draw_id"] for r in keys["entrants"]}
    assert commitments.result_hash(np.array([ranked[u] for u in keys["ranked"]], dtype=np.uint64)) == keys[
        "result_hash"]


def test_a_reopen_lists_every_changed_row_and_undoes_to_the_set_before(verifier: ModuleType) -> None:
    vectors, frozen = block("reopen"), block("frozen_set_hash")
    before, after = (lottery4_records(frozen, rows, verifier) for rows in (frozen["entries"], vectors["entries_after"]))
    codes = verifier.DECISION_CODES
    diff = sorted(({"pseudonym": b[0], "from": codes[b[1]], "to": codes[a[1]], "weight_from": repr(b[2]),
                    "weight_to": repr(a[2])} for b, a in zip(before, after, strict=True) if b != a),
                  key=lambda c: (c["pseudonym"], c["from"], c["to"], float(c["weight_from"]), float(c["weight_to"])))
    assert vectors["changes"] == diff and len(diff) == 2
    assert verifier.frozen_hash_v2(after) == vectors["frozen_set_hash"]
    undone = Counter(after)
    verifier.apply_changes(undone, vectors["changes"], True, "reopening 1")
    assert verifier.frozen_hash_v2(undone.elements()) == vectors["from_frozen_set_hash"] == frozen["LOTTERY4"][
        "frozen_set_hash"]
