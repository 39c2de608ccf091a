"""The public verification bundle (domain/bundle.py) checked by the outsider's script (tools/verify_draw.py):
an honest bundle verifies, without a Kakao user id in it; one flipped exclusion, one changed weight or two
swapped ranks are each rejected with the reason."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lottery_service.domain.bundle import Ranked, bundle_chunks
from lottery_service.domain.draw_engine import CURRENT, Entrants, commitment, run_draw
from lottery_service.domain.eligibility import DRAWN_CODES, decision_codes
from lottery_service.domain.frozen_set import FrozenEntries, frozen_set_hash

SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "verify_draw.py"
SEED = hashlib.sha256(b"bundle-test").digest()
SEATS, WAITLIST = 5, 10


def frozen_entries() -> FrozenEntries:
    rng = np.random.default_rng(11)
    users = rng.choice(10**12, 400, replace=False).astype(np.uint64) + np.uint64(1)
    decisions = rng.choice(["eligible", "eligible", "eligible", "eligible_exempt", "suspicious", "blacklist",
                            "precondition"], 400).tolist()
    codes, weights = decision_codes(decisions), np.round(rng.uniform(0.5, 6.0, 400), 2)
    return FrozenEntries(users, codes, weights, frozen_set_hash(SEED, CURRENT, users, codes, weights))


@pytest.fixture
def bundle_path(tmp_path: Path) -> Path:
    frozen = frozen_entries()
    drawn = np.isin(frozen.decisions, DRAWN_CODES)
    result = run_draw(Entrants(frozen.user_ids[drawn], frozen.weights[drawn]), SEED, SEATS, WAITLIST)
    ranked = {int(u): Ranked(rank, "winner" if rank <= SEATS else "waitlist")
              for rank, u in enumerate(result.user_ids.tolist(), start=1)}
    header = {"run_id": "r1", "campaign_id": "c1", "status": "completed", "commitment": commitment(SEED),
              "seed": SEED.hex(), "seats": SEATS, "waitlist_size": WAITLIST, "runs": [{"run_id": "r1"}],
              "frozen_set_hash": frozen.set_hash}
    path = tmp_path / "bundle.json"
    path.write_text("".join(bundle_chunks(header, SEED, CURRENT, frozen, ranked, chunk=64)))
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


def test_an_entrant_finds_their_own_line(bundle_path: Path) -> None:
    me = int(frozen_entries().user_ids[0])
    outcome = verify(bundle_path, "--me", str(me))
    assert outcome.returncode == 0 and "your line: {" in outcome.stdout


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
