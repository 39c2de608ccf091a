"""The known-answer vectors of docs/draw-algorithm.md, read from the document itself, against the engine and
the outsider's script (tools/verify_draw.py): if either drifts from what the document promises, this fails."""

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from lottery_service.domain.draw_engine import ALGORITHMS, Entrants, exponential_keys, keys_agree, mantissas, run_draw

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def vectors() -> dict[str, Any]:
    document = (ROOT / "docs" / "draw-algorithm.md").read_text()
    [block] = re.findall(r"```json known-answers\n(.*?)```", document, flags=re.S)
    loaded: dict[str, Any] = json.loads(block)
    return loaded


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
    entrants = Entrants(np.array([r["user_id"] for r in rows], dtype=np.uint64),
                        np.array([r["weight"] for r in rows], dtype=np.float64))
    assert mantissas(seed, entrants.user_ids, algorithm).astype(np.int64).tolist() == [r["m"] for r in rows]
    keys = exponential_keys(seed, entrants, algorithm).tolist()
    assert all(keys_agree(r["key"], key) for r, key in zip(rows, keys, strict=True)), keys
    result = run_draw(entrants, seed, vectors["seats"], vectors["waitlist_size"], algorithm)
    assert result.user_ids.tolist() == vectors["ranked"]


def test_the_outsiders_script_gives_the_documented_keys(vectors: dict[str, Any], verifier: ModuleType) -> None:
    rows = [{"rank": None, "user_id": r["user_id"], "outcome": "", "weight": r["weight"], "key": r["key"]}
            for r in vectors["entrants"]]
    keys = verifier.keys_for(bytes.fromhex(vectors["seed"]), rows, vectors["algorithm"])
    assert all(keys_agree(r["key"], key) for r, key in zip(rows, keys, strict=True)), keys
    ranked = [user for _, user in sorted(zip(keys, (r["user_id"] for r in rows), strict=True))]
    assert ranked[: vectors["seats"] + vectors["waitlist_size"]] == vectors["ranked"]
