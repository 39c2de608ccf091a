"""The public verification bundle (domain/bundle.py) checked by the outsider's script (tools/verify_draw.py):
an honest bundle verifies, without a Kakao user id in it, under LOTTERY3 and under LOTTERY2 (old runs); one
flipped exclusion, one changed weight or two swapped ranks are each rejected with the reason. Under LOTTERY3
nobody holding the seed can link a line to a Kakao id."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lottery_service.domain.bundle import Ranked, bundle_chunks
from lottery_service.domain.draw_engine import (
    LOTTERY2,
    LOTTERY3,
    Algorithm,
    Entrants,
    aes_blocks,
    commitment,
    run_draw,
)
from lottery_service.domain.eligibility import DRAWN_CODES, decision_codes
from lottery_service.domain.frozen_set import FrozenEntries, frozen_set_hash
from lottery_service.domain.pseudonyms import draw_ids, pseudonym_key, pseudonyms

SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "verify_draw.py"
SEED = hashlib.sha256(b"bundle-test").digest()
SEATS, WAITLIST = 5, 10
PSEUDONYM_KEY = pseudonym_key("bundle-test-secret", "c1")


def frozen_entries(algorithm: Algorithm = LOTTERY3) -> FrozenEntries:
    rng = np.random.default_rng(11)
    users = rng.choice(10**12, 400, replace=False).astype(np.uint64) + np.uint64(1)
    decisions = rng.choice(["eligible", "eligible", "eligible", "eligible_exempt", "suspicious", "blacklist",
                            "precondition"], 400).tolist()
    codes, weights = decision_codes(decisions), np.round(rng.uniform(0.5, 6.0, 400), 2)
    ids = draw_ids(PSEUDONYM_KEY, users, algorithm)
    return FrozenEntries(users, codes, weights, frozen_set_hash(SEED, algorithm, ids, codes, weights))


@pytest.fixture(params=[LOTTERY3, LOTTERY2], ids=lambda algorithm: algorithm.name)
def algorithm(request: pytest.FixtureRequest) -> Algorithm:
    chosen: Algorithm = request.param
    return chosen


@pytest.fixture
def bundle_path(tmp_path: Path, algorithm: Algorithm) -> Path:
    frozen = frozen_entries(algorithm)
    ids = draw_ids(PSEUDONYM_KEY, frozen.user_ids, algorithm)
    drawn = np.isin(frozen.decisions, DRAWN_CODES)
    entrants = Entrants(frozen.user_ids[drawn], frozen.weights[drawn], ids[drawn] if algorithm.pseudonymous else None)
    result = run_draw(entrants, SEED, SEATS, WAITLIST, algorithm)
    ranked = {int(u): Ranked(rank, "winner" if rank <= SEATS else "waitlist")
              for rank, u in enumerate(result.user_ids.tolist(), start=1)}
    header = {"run_id": "r1", "campaign_id": "c1", "status": "completed", "commitment": commitment(SEED),
              "seed": SEED.hex(), "seats": SEATS, "waitlist_size": WAITLIST, "runs": [{"run_id": "r1"}],
              "frozen_set_hash": frozen.set_hash}
    path = tmp_path / "bundle.json"
    path.write_text("".join(bundle_chunks(header, SEED, algorithm, frozen, ids, ranked, chunk=64)))
    return path


def verify(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(path), *extra], capture_output=True, text=True,
                          timeout=60)


def tamper(path: Path, change: Any) -> Path:
    bundle = json.loads(path.read_text())
    change(bundle["entries"])
    path.write_text(json.dumps(bundle))
    return path


def test_an_honest_bundle_verifies_and_names_nobody(bundle_path: Path) -> None:
    outcome = verify(bundle_path)
    assert outcome.returncode == 0, outcome.stdout
    assert "VERIFIED: 400 entries" in outcome.stdout
    assert f"{SEATS} winners, {WAITLIST} on the waitlist" in outcome.stdout
    text = bundle_path.read_text()
    assert not any(str(int(u)) in text for u in frozen_entries().user_ids)


def test_an_entrant_finds_their_own_line(bundle_path: Path, algorithm: Algorithm) -> None:
    """Under LOTTERY3 with the pseudonym the service tells them; under LOTTERY2 with their Kakao id."""
    user = frozen_entries(algorithm).user_ids[:1]
    [mine] = pseudonyms(SEED, draw_ids(PSEUDONYM_KEY, user, algorithm), algorithm)
    outcome = verify(bundle_path, "--me", mine if algorithm.pseudonymous else str(int(user[0])))
    assert outcome.returncode == 0 and f'your line: {{"pseudonym": "{mine}"' in outcome.stdout


def test_with_the_seed_and_every_true_kakao_id_nobody_can_link_a_lottery3_line(tmp_path: Path) -> None:
    """The attacker's best case: the revealed seed and the exact list of ids that entered. What LOTTERY2
    published (c_i over the id) and any id-as-draw-id guess match no line; only the pseudonym key would."""
    frozen = frozen_entries(LOTTERY3)
    bundle = json.loads("".join(bundle_chunks({}, SEED, LOTTERY3, frozen,
                                              draw_ids(PSEUDONYM_KEY, frozen.user_ids, LOTTERY3), {})))
    published = {e["pseudonym"] for e in bundle["entries"]}
    guesses = {*pseudonyms(SEED, frozen.user_ids, LOTTERY2), *pseudonyms(SEED, frozen.user_ids, LOTTERY3),
               *(block.hex()[:16] for block in aes_blocks(SEED, frozen.user_ids, LOTTERY3).view("S16").ravel())}
    assert len(published) == 400 and not published & guesses


def test_one_flipped_exclusion_is_rejected(bundle_path: Path) -> None:
    def flip(entries: list[dict[str, Any]]) -> None:
        excluded = next(e for e in entries if e["decision"] == "suspicious")
        excluded.update(decision="eligible", key=1.0, rank=None, outcome="not_selected")
    outcome = verify(tamper(bundle_path, flip))
    assert outcome.returncode == 1 and "do not hash to the frozen-set hash" in outcome.stdout


def test_one_changed_weight_is_rejected(bundle_path: Path) -> None:
    def heavier(entries: list[dict[str, Any]]) -> None:
        next(e for e in entries if e["decision"] == "eligible")["weight"] = 99.0
    outcome = verify(tamper(bundle_path, heavier))
    assert outcome.returncode == 1 and "frozen-set hash" in outcome.stdout


def test_two_swapped_ranks_are_rejected_by_name(bundle_path: Path) -> None:
    def swap(entries: list[dict[str, Any]]) -> None:
        first, second = (next(e for e in entries if e.get("rank") == rank) for rank in (1, 2))
        first["rank"], second["rank"] = 2, 1
    outcome = verify(tamper(bundle_path, swap))
    assert outcome.returncode == 1 and "published rank/outcome 2/winner, recomputed 1/winner" in outcome.stdout
