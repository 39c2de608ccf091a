"""A campaign run from `lottery-ops` alone against the real fleet (seed §3): create, a CSV with a bad row
(reported by row and field, nothing stored), the fixed CSV, close, run (its step-up code given after the
subcommand, a wrong one first), results a page at a time, what was sent and what it said, the sending state;
the demo's profile file tells the command where the services are."""

import asyncio
import json
import os
import shlex
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
import pyotp
import pytest

from platform_deploy.cli import addresses, hand_over
from platform_deploy.ops.profile import remove_profile
from platform_deploy.services import Fleet
from platform_shared.auth.tokens import TokenSigner
from platform_shared.time.clock import Clock
from tests.support import eventually, ops_command, unique_campaign

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def ops(fleet: Fleet, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with ops_command(fleet, tmp_path_factory.mktemp("ops") / "session.json", language="en") as run:
        yield run


def entrants_csv(users: range, bad: dict[int, str] | None = None) -> str:
    lines = ["kakao_user_id,weight,intro_seen"]
    lines += [f"{user},{(bad or {}).get(user, 1 + user % 3)},true" for user in users]
    return "\n".join(lines) + "\n"


def stale_session(fleet: Fleet, clock: Clock, session: Path) -> None:
    """The session's login as it is six minutes on: a sensitive action now needs a fresh second factor."""
    stored = json.loads(session.read_text())
    claims = jwt.decode(stored["access_token"], options={"verify_signature": False})
    stored["access_token"] = TokenSigner(fleet.signing_key, clock).access_token(
        account=claims["sub"], role=claims["role"], amr=("pwd", "otp"), auth_time=clock.now() - timedelta(minutes=6),
        session_id=claims["sid"])
    session.write_text(json.dumps(stored))


def test_a_campaign_from_the_ops_command_alone(fleet: Fleet, ops: Any, clock: Clock, tmp_path: Path) -> None:
    operator = fleet.operator("pm")
    ops("login", "--account", operator.name, "--password", operator.credentials.password, "--code", operator.totp())
    campaign, draw_at = unique_campaign("ops-campaign"), clock.now().isoformat()  # due by the time it runs
    created = json.loads(ops("--json", "draws", "create", campaign, "--seats", "3", "--waitlist", "2",
                             "--draw-at", draw_at, "--requires-intro"))
    assert created["status"] == "open" and created["seats"] == 3

    wrong = tmp_path / "entrants.csv"
    wrong.write_text(entrants_csv(range(5001, 5021), bad={5004: "heavy"}))
    report = ops("draws", "entries", "import", campaign, str(wrong), code=3)
    assert "1 row(s) of" in report and "nothing was sent, nothing stored" in report
    assert json.loads(ops("--json", "draws", "entries", "import", campaign, str(wrong), code=3).split("\nError")[0]) \
        == {"errors": [{"row": 5, "field": "weight", "message": "Input should be a valid number, unable to parse "
                                                               "string as a number"}]}
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(entrants_csv(range(5001, 5021)))
    assert f"20 entries added to {campaign}" in ops("draws", "entries", "import", campaign, str(fixed))
    again = ops("draws", "entries", "import", campaign, str(fixed), code=3)
    assert "already entered" in again, "the lottery stores a batch all or nothing: none of these twice"
    closed = json.loads(ops("--json", "draws", "close", campaign))
    assert closed["status"] == "closed" and closed["commitment"]
    assert json.loads(ops("--json", "draws", "dry-run", campaign))["total_entries"] == 20, "the bad file stored none"

    session = Path(os.environ["OPS_SESSION_FILE"])
    stale_session(fleet, clock, session)
    assert "add --totp" in ops("--yes", "draws", "run", campaign, code=3), "no code, no terminal: say what to add"
    current = {pyotp.TOTP(operator.credentials.totp_secret).at(clock.now() + timedelta(seconds=s))
               for s in (-30, 0, 30)}
    refused = ops("--yes", "draws", "run", campaign, "--totp", next(c for c in ("123456", "654321", "112233")
                                                                       if c not in current), code=3)
    assert "the TOTP code was not accepted" in refused and "you are still logged in" in refused
    assert operator.name in ops("whoami"), "the session is kept"
    assert "--totp" in ops("draws", "run", "--help"), "listed in the command's own help"
    run = json.loads(ops("--json", "--yes", "draws", "run", campaign, "--totp", operator.totp()))
    assert run["status"] == "completed"

    first = ops("draws", "results", run["id"], "--per-page", "2")
    assert "page 1 of 3 (2 of 5 places); --page 2 for the next" in first
    waiting = json.loads(ops("--json", "draws", "results", run["id"], "--outcome", "waitlist"))
    assert waiting["total"] == 2 and [r["rank"] for r in waiting["results"]] == [4, 5]

    offers = asyncio.run(eventually(
        lambda: asyncio.to_thread(lambda: json.loads(ops("--json", "notifications", "list", "--run", run["id"],
                                                         "--template", "WINNER_OFFER", "--text"))),
        lambda rows: len(rows) == 3, what="the winners' offers at the notifier"))
    assert all(row["text"] and row["template"] == "WINNER_OFFER" for row in offers)
    assert "WINNER_OFFER" in ops("notifications", "list", "--run", run["id"])
    status = ops("notifications", "status")
    assert status.startswith("sending: running") and "queued" in status
    assert json.loads(ops("--json", "notifications", "status"))["sending"]["paused"] is False


def test_the_demo_profile_is_read_by_default(
        fleet: Fleet, ops: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Still logged in: the demo's hand-over writes the services' addresses where `lottery-ops` looks (XDG
    config); with no OPS_*_URL set the command finds the services there; the printed line signs in as the
    demo's admin."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("OPS_PROFILE", raising=False)
    line = hand_over(fleet)
    try:
        assert (tmp_path / "config" / "lottery-ops" / "profile.toml").exists()
        assert line in capsys.readouterr().out
        words = shlex.split(line)
        credentials = fleet.operator("admin").credentials
        assert words[words.index("--account") + 1] == "admin"
        assert words[words.index("--password") + 1] == credentials.password
        assert credentials.totp_secret in words[words.index("--code") + 1]
        for service in ("policy", "lottery", "waitlist", "notifier"):
            monkeypatch.delenv(f"OPS_{service.upper()}_URL")
        assert isinstance(json.loads(ops("--json", "draws", "list")), list), "the lottery at the profile's address"
        assert "sending:" in ops("notifications", "status"), "the notifier at the profile's address"
        monkeypatch.setenv("OPS_LOTTERY_URL", "http://127.0.0.1:9")
        assert "did not answer" in ops("draws", "list", code=4), "OPS_LOTTERY_URL overrides the profile"
    finally:
        remove_profile(addresses(fleet))
    assert not (tmp_path / "config" / "lottery-ops" / "profile.toml").exists()
