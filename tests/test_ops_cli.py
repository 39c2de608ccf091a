"""The operator's command drives the runbook's draw (seed §3) against the running services (issue 14): log in
with password and TOTP, pre-check, dry run, run (prepare → confirm → execute), verify, export, waitlist
status, roll back; refusals and failed checks end with one line and the exit code scripts rely on."""

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from platform_deploy.infra import Infrastructure
from platform_deploy.ops import output
from platform_deploy.ops.cli import app
from platform_deploy.scenario import admin_client
from platform_deploy.services import Fleet
from platform_shared.auth.tokens import jwks_json
from platform_shared.time.clock import Clock, to_kst
from policy_service.domain.backups import trusted_keys, verify_history
from policy_service.main import MIGRATIONS
from tests.support import fetch, fresh_database, ok, ops_command, prepare_closed_draw, unique_campaign

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def ops(fleet: Fleet, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The command as the operator runs it, one shell session for the module (a TOTP code is good once)."""
    with ops_command(fleet, tmp_path_factory.mktemp("ops") / "session.json", language="en") as run:
        yield run


def test_the_runbook_draw_through_the_ops_command(fleet: Fleet, ops: Any, tmp_path: Path) -> None:
    session = Path(os.environ["OPS_SESSION_FILE"])
    operator = fleet.operator("pm")  # the runbook's second operator; the admin's TOTP steps are busier
    campaign = unique_campaign("ops")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=30, seats=3, waitlist_size=4)

    out = ops("draws", "precheck", campaign, code=5)
    assert "not logged in" in out and out.count("\n") == 1, "one clear line"
    ops("login", "--account", operator.name, "--password", operator.credentials.password, "--code", operator.totp())
    assert session.stat().st_mode & 0o077 == 0, "the session file is the operator's only"

    checklist = ops("draws", "precheck", campaign)
    assert checklist.count("✓") == 7 and "status is closed or drawing_ready: closed" in checklist, checklist
    dry = json.loads(ops("--json", "draws", "dry-run", campaign))
    assert dry["eligible"] == 30 and sum(dry["histogram"]["counts"]) == 30 and not dry["sample_is_final"]
    assert "█" in ops("draws", "dry-run", campaign), "the histogram drawn in the terminal"

    unasked = ops("draws", "run", campaign, code=2)
    assert "no terminal to ask on: nothing was done; add --yes" in unasked, "no prompt without a terminal"
    with pytest.MonkeyPatch.context() as terminal:
        terminal.setattr(output, "at_terminal", lambda: True)
        shown = CliRunner().invoke(app, ["draws", "run", campaign], input="n\n")
    assert shown.exit_code == 1 and "not confirmed: nothing was done" in shown.output
    assert "seed_display" in shown.output, "step one showed what would happen"
    run = json.loads(ops("--json", "--yes", "draws", "run", campaign))
    assert run["status"] == "completed" and run["seats"] == 3

    assert "replay_matches" in ops("draws", "verify", run["id"])
    ops("draws", "export", run["id"], "--out", str(tmp_path / "run.csv"))
    lines = (tmp_path / "run.csv").read_text().splitlines()
    assert lines[0].startswith("rank,kakao_user_id") and len(lines) == 31
    status = json.loads(ops("--json", "waitlist", "status", run["id"]))
    assert status["seats"] == 3

    rolled = json.loads(ops("--json", "--yes", "draws", "rollback", run["id"], "--reason", "seat count was wrong"))
    assert rolled["status"] == "rolled_back"
    again = ops("--yes", "draws", "rollback", run["id"], "--reason", "twice", code=3)
    assert "only a completed run can be rolled back" in again and again.count("\n") == 1
    assert ops("draws", "verify", "00000000-0000-0000-0000-000000000000", code=3).startswith("Error: no draw run")
    groups = json.loads(ops("--json", "consumers", "status", "waitlist"))
    assert {g["group_id"] for g in groups} >= {"waitlist", "waitlist.rollbacks"}
    assert "intact" in ops("audit", "verify", "lottery")
    listed = json.loads(ops("--json", "draws", "list"))
    assert [d["status"] for d in listed if d["campaign_id"] == campaign] == ["drawing_ready"], "runnable again"


def test_a_precheck_of_a_draw_that_cannot_run_fails_with_exit_1(fleet: Fleet, ops: Any) -> None:
    """Still logged in from the runbook test: the session outlives one command."""
    campaign = unique_campaign("ops-open")
    with admin_client(fleet["lottery"].base_url) as lottery:
        ok(lottery.post("/draws", json={"campaign_id": campaign, "seats": 1, "waitlist_size": 0,
                                        "draw_at": "2026-12-01T20:00:00+09:00", "requires_intro": False,
                                        "requires_adgate": False}))
    out = ops("draws", "precheck", campaign, code=1)
    assert "✗ status is closed or drawing_ready: open" in out and "pre-check of" in out


def test_the_incident_levers_through_the_ops_command(fleet: Fleet, ops: Any, clock: Clock) -> None:
    """Still logged in: pause and resume a consumer group, an AdGate exception on and off with its impact
    report, and the dead letters listed."""
    paused = json.loads(ops("--json", "consumers", "pause", "notifier", "--group", "notifier.rollbacks",
                            "--reason", "incident drill"))
    assert [g["desired_paused"] for g in paused if g["group_id"] == "notifier.rollbacks"] == [True]
    resumed = json.loads(ops("--json", "consumers", "resume", "notifier", "--group", "notifier.rollbacks",
                             "--reason", "drill over"))
    assert not any(g["desired_paused"] for g in resumed)
    assert "no consumer group 'nobody'" in ops("consumers", "pause", "notifier", "--group", "nobody",
                                               "--reason", "typo", code=3)

    campaign, today = unique_campaign("ops-adgate"), to_kst(clock.now()).date().isoformat()
    before = json.loads(ops("--json", "policy", "show"))["version"]
    ops("--yes", "policy", "adgate-exception", campaign, "--from", today, "--until", today,
        "--reason", "sponsor landing down", "--banner", "Sponsor visit not needed today")
    document = json.loads(ops("--json", "policy", "show"))
    assert document["version"] == before + 1
    assert [e["campaign_id"] for e in document["document"]["adgate_exceptions"]].count(campaign) == 1
    assert json.loads(ops("--json", "policy", "impact", "--campaign", campaign)) == []
    ops("--yes", "policy", "adgate-exception-end", campaign, "--reason", "landing back")
    after = json.loads(ops("--json", "policy", "show"))
    assert after["version"] == before + 2 and campaign not in json.dumps(after["document"]["adgate_exceptions"])
    assert isinstance(json.loads(ops("--json", "dead-letters", "list", "waitlist", "--limit", "5")), list)


async def test_a_policy_backup_taken_through_the_ops_command_restores_into_an_empty_database(
        fleet: Fleet, ops: Any, infrastructure: Infrastructure, tmp_path: Path) -> None:
    """Still logged in: a backup now, downloaded; the same file restored by `lottery-ops policy restore` into
    an empty database (seed §15), and refused (exit 3, one line) by one that has a history."""
    copy = tmp_path / "policy-history.json"
    taken = json.loads(ops("--json", "policy", "backup", "--save", str(copy)))
    assert taken["file"] in ops("policy", "backups")
    history = verify_history(copy.read_bytes(), trusted_keys(jwks_json(fleet.signing_key)))
    assert len(history.versions) == taken["versions"] >= 1, "the whole history, signed by this installation"
    async with fresh_database(infrastructure, MIGRATIONS, like="policy") as empty:
        with pytest.MonkeyPatch.context() as environment:
            for name, value in {**fleet["policy"].base_env, "POLICY_DATABASE_URL": empty}.items():
                environment.setenv(name, value)
            assert f"1..{taken['versions']}" in ops("--yes", "policy", "restore", str(copy), "--by", "kim")
            refused = ops("--yes", "policy", "restore", str(copy), "--by", "kim", code=3)
        assert "not empty" in refused and refused.count("\n") == 1, refused
        versions = await fetch(empty, "SELECT version FROM policy_versions ORDER BY version")
        assert [v["version"] for v in versions] == [v.version for v in history.versions]
