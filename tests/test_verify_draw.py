"""tools/verify_draw.py, the outsider's verifier, against small honest bundles written from the document alone
(tests/draw_bundles.py) and every tamper of tests/bundle_tampering.py: an honest bundle verifies, each tamper
fails with its own reason. Bundle 1 (the service's own writer) is held to its runs and reopenings too."""

import contextlib
import csv
import hashlib
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from lottery_service.domain.bundle import Ranked, bundle_chunks
from lottery_service.domain.draw_engine import LOTTERY3, Entrants, run_draw
from lottery_service.domain.eligibility import DRAWN_CODES, decision_codes
from lottery_service.domain.frozen_set import FrozenEntries, frozen_set_hash
from lottery_service.domain.pseudonyms import draw_ids, pseudonym_key
from tests.bundle_tampering import TAMPERS, Tamper, rewritten_log
from tests.draw_bundles import CORRECTED, ROWS, bundle_2, corrected, pseudonym

SCRIPT = Path(__file__).resolve().parents[1] / "tools" / "verify_draw.py"
SEEDS = [hashlib.sha256(f"bundle-1 seed {i}".encode()).digest() for i in range(2)]


@pytest.fixture(scope="module")
def verifier() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_draw", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def verify(verifier: ModuleType, tmp_path: Path, bundle: dict[str, Any], *extra: str) -> tuple[int, str]:
    """The script's main, in this process: (exit status, what it printed)."""
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            verifier.main([str(path), *extra])
            status = 0
        except SystemExit as exit_:
            status = int(exit_.code or 0)
    return status, out.getvalue()


def bundle_1() -> dict[str, Any]:
    """A LOTTERY3 bundle from the service's writer: run r1 drawn under the first seed, rolled back, a reopen that
    burned that seed, run r2 under the new one."""
    users = np.array([u for u, _, _ in corrected(ROWS) if u not in (106,)], dtype=np.uint64)
    codes = decision_codes([d for u, d, _ in corrected(ROWS) if u != 106])
    weights = np.array([w for u, _, w in corrected(ROWS) if u != 106])
    ids = draw_ids(pseudonym_key("bundle-1 secret", "c1"), users, LOTTERY3)
    frozen = FrozenEntries(users, codes, weights, frozen_set_hash(SEEDS[1], LOTTERY3, ids, codes, weights))
    drawn = np.isin(codes, DRAWN_CODES)
    result = run_draw(Entrants(users[drawn], weights[drawn], ids[drawn]), SEEDS[1], 2, 3, LOTTERY3)
    ranked = {int(u): Ranked(rank, "winner" if rank <= 2 else "waitlist")
              for rank, u in enumerate(result.user_ids.tolist(), start=1)}
    c0, c1 = (hashlib.sha256(seed).hexdigest() for seed in SEEDS)
    header = {"run_id": "r2", "campaign_id": "c1", "status": "completed", "draw_at_kst": "2026-12-01T20:00:00+09:00",
              "commitment": c1, "seed": SEEDS[1].hex(), "frozen_set_hash": frozen.set_hash, "seats": 2,
              "waitlist_size": 3,
              "runs": [{"run_id": "r1", "status": "rolled_back", "algorithm": "LOTTERY3", "previous_run_id": None,
                        "commitment": c0, "rollback_reason": "a bot farm"},
                       {"run_id": "r2", "status": "completed", "algorithm": "LOTTERY3", "previous_run_id": "r1",
                        "commitment": c1, "rollback_reason": None}],
              "reopenings": [{"number": 1, "reason": "a bot farm", "burned_seed": SEEDS[0].hex(),
                              "burned_commitment": c0, "new_commitment": c1, "changes": []}]}
    bundle: dict[str, Any] = json.loads("".join(bundle_chunks(header, SEEDS[1], LOTTERY3, frozen, ids, ranked)))
    return bundle


BUNDLES = {"bundle 2 of the live run": lambda: bundle_2("run-2"),
           "bundle 2 of the rolled-back run": lambda: bundle_2("run-1"), "bundle 1": bundle_1}
NOT_APPLICABLE = {  # (tamper, bundle): nothing to tamper with there
    ("the run before dropped", "bundle 2 of the rolled-back run"),
    ("a reopen dropped", "bundle 2 of the rolled-back run"),
    *((t.name, "bundle 1") for t in TAMPERS if t.name not in (
        "entries reordered", "an entry's weight changed", "a winner's decision changed", "the run before dropped",
        "a reopen dropped", "two waitlisted ranks swapped", "a winner swapped with the waitlist", "the seed altered"))}


@pytest.mark.parametrize("name", BUNDLES)
def test_an_honest_bundle_verifies(verifier: ModuleType, tmp_path: Path, name: str) -> None:
    status, out = verify(verifier, tmp_path, BUNDLES[name]())
    assert status == 0 and out.startswith("VERIFIED"), out


@pytest.mark.parametrize("tamper", TAMPERS, ids=lambda tamper: tamper.name)
@pytest.mark.parametrize("name", BUNDLES)
def test_every_tamper_fails_naming_its_cause(verifier: ModuleType, tmp_path: Path, tamper: Tamper, name: str) -> None:
    honest = BUNDLES[name]()
    tampered = tamper.apply(honest)
    assert (tampered is None) == ((tamper.name, name) in NOT_APPLICABLE)
    if tampered is not None:
        head = honest.get("log", {}).get("head")
        extra = ["--head", f"{head['seq']}:{head['hash']}"] if tamper.head_from_before else []
        status, out = verify(verifier, tmp_path, tampered, *extra)
        assert status == 1 and out.startswith("VERIFICATION FAILED") and tamper.says in out, out


def test_a_consistent_rewrite_of_the_log_is_caught_only_by_a_head_seen_before(verifier: ModuleType,
                                                                             tmp_path: Path) -> None:
    honest = bundle_2()
    rewritten = rewritten_log(honest)
    assert rewritten is not None and verify(verifier, tmp_path, rewritten)[0] == 0
    before, earlier = honest["log"]["entries"][3], honest["log"]["entries"][-2]  # heads seen at earlier times
    assert verify(verifier, tmp_path, honest, "--head", f"{earlier['seq']}:{earlier['hash']}")[0] == 0
    assert verify(verifier, tmp_path, rewritten, "--head", f"{before['seq']}:{before['hash']}")[0] == 0  # older
    status, out = verify(verifier, tmp_path, rewritten, "--head", f"{earlier['seq']}:{earlier['hash']}")
    assert status == 1 and "the head you saw" in out, out
    status, out = verify(verifier, tmp_path, honest, "--head", f"{honest['log']['head']['seq'] + 1}:{'0' * 64}")
    assert status == 1 and "outside this bundle's log" in out, out


def test_the_reopen_lists_are_checked_both_ways_from_the_bundles_set(verifier: ModuleType, tmp_path: Path) -> None:
    """Run-1's set is the one before the correction (checked forwards), run-2's the one after (backwards)."""
    for run in ("run-1", "run-2"):
        bundle = bundle_2(run)
        reclose = next(e for e in bundle["log"]["entries"] if e["kind"] == "reclosed")
        assert {c["pseudonym"] for c in reclose["record"]["changes"]} == {pseudonym(u) for u in CORRECTED}
        reclose["record"]["changes"][0]["weight_to"] = "9.0"
        status, out = verify(verifier, tmp_path, bundle)
        assert status == 1 and "log entry seq" in out  # the log itself no longer holds
        from tests.bundle_tampering import rechain

        status, out = verify(verifier, tmp_path, rechain(bundle))
        assert status == 1 and "reopening 1" in out, out


def test_a_missing_drand_verify_is_named(verifier: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "drand_verify", None)
    status, out = verify(verifier, tmp_path, bundle_2())
    assert status == 1 and "pip install drand-verify" in out, out


def test_the_script_runs_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle_2()))
    me = bundle_2()["entries"][0]["pseudonym"]
    outcome = subprocess.run([sys.executable, str(SCRIPT), str(path), "--me", me], capture_output=True, text=True,
                             timeout=60)
    assert outcome.returncode == 0 and f'"pseudonym": "{me}"' in outcome.stdout, outcome.stdout + outcome.stderr


def export_and_reveal(tmp_path: Path) -> tuple[Path, Path]:
    """A LOTTERY4 run's admin export and reveal, from the same run-2 (the reveal carries committed and beacon)."""
    bundle = bundle_2()
    lines = {e["pseudonym"]: e for e in bundle["entries"] if "key" in e}
    rows = [(u, lines[pseudonym(u)]) for u, d, _ in corrected(ROWS) if d in ("eligible", "eligible_exempt")]
    csv_path = tmp_path / "export.csv"
    with csv_path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["rank", "kakao_user_id", "draw_id", "outcome", "weight", "key"])
        for user, e in sorted(rows, key=lambda r: (r[1]["rank"] or 10**9, r[0])):
            writer.writerow([e["rank"] or "", user, int.from_bytes(bytes.fromhex(e["pseudonym"]), "little"),
                             e["outcome"], repr(e["weight"]), repr(e["key"])])
    records = b"".join(u.to_bytes(8, "little") + np.float64(e["weight"]).tobytes() for u, e in sorted(rows))
    reveal = {key: bundle[key] for key in ("run_id", "campaign_id", "draw_at_kst", "seed", "algorithm", "commitment",
                                           "seats", "waitlist_size", "weight_cap", "committed", "beacon")}
    reveal |= {"entry_set_hash": hashlib.sha256(records).hexdigest(), "eligible_count": len(rows),
               "status": "completed", "previous_run_id": "run-1"}
    reveal_path = tmp_path / "reveal.json"
    reveal_path.write_text(json.dumps(reveal))
    return csv_path, reveal_path


def test_a_lottery4_export_and_reveal_verify_and_a_changed_seat_count_does_not(verifier: ModuleType,
                                                                              tmp_path: Path) -> None:
    csv_path, reveal_path = export_and_reveal(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        verifier.main([str(csv_path), str(reveal_path)])
    assert "VERIFIED: 8 entrants, 4 winners, 2 on the waitlist" in out.getvalue()
    reveal = json.loads(reveal_path.read_text())
    reveal["seats"] = 3
    reveal_path.write_text(json.dumps(reveal))
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        verifier.main([str(csv_path), str(reveal_path)])
    assert "seats: the reveal says 3, the commitment says 4" in out.getvalue()
