"""tools/verify_draw.py, the outsider's check, against an export produced by the service's own code: the
reveal of runs before LOTTERY4 (a LOTTERY4 reveal carries its commitment record and beacon round:
tests/test_verify_draw.py)."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lottery_service.domain.draw_engine import (
    LOTTERY1,
    LOTTERY2,
    LOTTERY3,
    Algorithm,
    Entrants,
    commitment,
    entry_set_hash,
    run_draw,
)
from lottery_service.domain.export import RankedRow, csv_lines
from lottery_service.domain.pseudonyms import draw_ids, pseudonym_key

SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "verify_draw.py"
SEED = hashlib.sha256(b"verify-script-test").digest()


def publish(directory: Path, algorithm: Algorithm) -> tuple[Path, Path]:
    rng = np.random.default_rng(5)
    users = rng.choice(10**15, 3_000, replace=False).astype(np.uint64)
    ids = draw_ids(pseudonym_key("verify-script-secret", "c1"), users, algorithm)
    entrants = Entrants(users, rng.uniform(0.1, 8.0, 3_000), ids if algorithm.pseudonymous else None)
    result = run_draw(entrants, SEED, seats=20, waitlist_size=50, algorithm=algorithm)
    ranked = [RankedRow(rank, int(u), "winner" if rank <= 20 else "waitlist", float(k))
              for rank, (u, k) in enumerate(zip(result.user_ids, result.keys, strict=True), start=1)]
    csv_path, reveal_path = directory / "export.csv", directory / "reveal.json"
    csv_path.write_text("".join(csv_lines(ranked, entrants, SEED, algorithm)))
    reveal = {"seed": SEED.hex(), "commitment": commitment(SEED), "seats": 20, "waitlist_size": 50,
              "weight_cap": 5.0, "entry_set_hash": entry_set_hash(entrants, algorithm)}
    if algorithm != LOTTERY1:  # reveals from before LOTTERY2 carry no algorithm field
        reveal["algorithm"] = algorithm.name
    reveal_path.write_text(json.dumps(reveal))
    return csv_path, reveal_path


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path]:
    return publish(tmp_path, LOTTERY3)


def verify(csv_path: Path, reveal_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(csv_path), str(reveal_path)],
                          capture_output=True, text=True, timeout=60)


def test_an_honest_export_verifies(published: tuple[Path, Path]) -> None:
    outcome = verify(*published)
    assert outcome.returncode == 0, outcome.stdout
    assert "VERIFIED: 3000 entrants, 20 winners, 50 on the waitlist" in outcome.stdout


@pytest.mark.parametrize("algorithm", [LOTTERY1, LOTTERY2], ids=lambda algorithm: algorithm.name)
def test_a_run_drawn_under_an_older_algorithm_still_verifies_under_it(tmp_path: Path, algorithm: Algorithm) -> None:
    outcome = verify(*publish(tmp_path, algorithm))
    assert outcome.returncode == 0, outcome.stdout
    assert f"({algorithm.name})" in outcome.stdout


def test_an_export_checked_under_the_wrong_algorithm_fails(published: tuple[Path, Path]) -> None:
    csv_path, reveal_path = published
    reveal = json.loads(reveal_path.read_text())
    reveal["algorithm"] = "LOTTERY1"
    reveal_path.write_text(json.dumps(reveal))
    outcome = verify(csv_path, reveal_path)
    assert outcome.returncode == 1 and "VERIFICATION FAILED" in outcome.stdout


def test_swapping_a_winner_for_someone_else_fails(published: tuple[Path, Path]) -> None:
    csv_path, reveal_path = published
    lines = csv_path.read_text().splitlines(keepends=True)
    winner, loser = lines[1].split(","), lines[-1].split(",")
    lines[1] = ",".join([winner[0], loser[1], *winner[2:]])
    lines[-1] = ",".join([loser[0], winner[1], *loser[2:]])
    csv_path.write_text("".join(lines))

    outcome = verify(csv_path, reveal_path)
    assert outcome.returncode == 1 and "VERIFICATION FAILED" in outcome.stdout


def test_a_changed_weight_fails_the_entry_set_hash(published: tuple[Path, Path]) -> None:
    csv_path, reveal_path = published
    lines = csv_path.read_text().splitlines(keepends=True)
    fields = lines[5].split(",")
    fields[lines[0].split(",").index("weight")] = "7.5"
    lines[5] = ",".join(fields)
    csv_path.write_text("".join(lines))

    outcome = verify(csv_path, reveal_path)
    assert outcome.returncode == 1 and "entry-set hash" in outcome.stdout


def test_a_wrong_seed_fails_the_commitment(published: tuple[Path, Path]) -> None:
    csv_path, reveal_path = published
    reveal = json.loads(reveal_path.read_text())
    reveal["seed"] = hashlib.sha256(b"another seed").hexdigest()
    reveal_path.write_text(json.dumps(reveal))

    outcome = verify(csv_path, reveal_path)
    assert outcome.returncode == 1 and "commitment" in outcome.stdout
