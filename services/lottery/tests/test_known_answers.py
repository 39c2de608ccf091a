"""The known-answer vectors of docs/draw-algorithm.md, read from the document itself, against the engine and
the outsider's script (tools/verify_draw.py): if either drifts from what the document promises, this fails."""

import hashlib
import hmac
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from lottery_service.domain.draw_engine import (
    ALGORITHMS,
    CURRENT,
    Entrants,
    exponential_keys,
    keys_agree,
    mantissas,
    run_draw,
)
from lottery_service.domain.pseudonyms import draw_ids, pseudonym_key

ROOT = Path(__file__).resolve().parents[3]


BLOCKS = re.findall(r"```json known-answers\n(.*?)```", (ROOT / "docs" / "draw-algorithm.md").read_text(), flags=re.S)


@pytest.fixture(params=[json.loads(block) for block in BLOCKS], ids=lambda vectors: vectors["algorithm"])
def vectors(request: pytest.FixtureRequest) -> dict[str, Any]:
    loaded: dict[str, Any] = request.param
    return loaded


def test_the_document_has_vectors_for_the_current_algorithm_and_the_one_before() -> None:
    assert [json.loads(block)["algorithm"] for block in BLOCKS] == [CURRENT.name, "LOTTERY2"]


def documented_draw_ids(vectors: dict[str, Any]) -> list[int]:
    """p_i as the document words it, in plain Python: HMAC, then AES (the user id itself before LOTTERY3)."""
    if "pseudonym_key" not in vectors:
        return [r["user_id"] for r in vectors["entrants"]]
    key = hmac.new(vectors["server_secret"].encode(), f"pseudonym-key{vectors['campaign_id']}".encode(),
                   hashlib.sha256).digest()
    assert key.hex() == vectors["pseudonym_key"]
    encrypt = Cipher(algorithms.AES(key), modes.ECB()).encryptor().update
    return [int.from_bytes(encrypt(vectors["algorithm"].encode() + r["user_id"].to_bytes(8, "little"))[:8], "little")
            for r in vectors["entrants"]]


@pytest.fixture(scope="module")
def verifier() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_draw", ROOT / "tools" / "verify_draw.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_engine_gives_the_documented_mantissas_keys_and_ranking(vectors: dict[str, Any]) -> None:
    algorithm, seed = ALGORITHMS[vectors["algorithm"]], bytes.fromhex(vectors["seed"])
    rows = vectors["entrants"]
    users = np.array([r["user_id"] for r in rows], dtype=np.uint64)
    ids = documented_draw_ids(vectors)
    if algorithm.pseudonymous:
        key = pseudonym_key(vectors["server_secret"], vectors["campaign_id"])
        assert draw_ids(key, users, algorithm).tolist() == ids == [r["draw_id"] for r in rows]
    entrants = Entrants(users, np.array([r["weight"] for r in rows], dtype=np.float64),
                        np.array(ids, dtype=np.uint64) if algorithm.pseudonymous else None)
    assert mantissas(seed, entrants.draw_ids, algorithm).astype(np.int64).tolist() == [r["m"] for r in rows]
    keys = exponential_keys(seed, entrants, algorithm).tolist()
    assert all(keys_agree(r["key"], key) for r, key in zip(rows, keys, strict=True)), keys
    result = run_draw(entrants, seed, vectors["seats"], vectors["waitlist_size"], algorithm)
    assert result.user_ids.tolist() == vectors["ranked"]


def test_the_outsiders_script_gives_the_documented_keys(vectors: dict[str, Any], verifier: ModuleType) -> None:
    rows = [{"rank": None, "user_id": r["user_id"], "draw_id": r.get("draw_id", r["user_id"]), "outcome": "",
             "weight": r["weight"], "key": r["key"]} for r in vectors["entrants"]]
    keys = verifier.keys_for(bytes.fromhex(vectors["seed"]), rows, vectors["algorithm"])
    assert all(keys_agree(r["key"], key) for r, key in zip(rows, keys, strict=True)), keys
    ranked = [r["user_id"] for _, _, r in sorted(zip(keys, (r["draw_id"] for r in rows), rows, strict=True),
                                                 key=lambda t: (t[0], t[1]))]
    assert ranked[: vectors["seats"] + vectors["waitlist_size"]] == vectors["ranked"]
