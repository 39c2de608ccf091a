"""`lottery-ops` speaks Korean unless English is asked for (`--lang en` before the command, or OPS_LANG=en): its
messages, every help text, and the `Accept-Language` of every request it sends (so the services' errors come
back in the same language). Times it shows are in KST to the minute with the zone named; `--json` keeps the
services' ISO values."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import typer.main
from rich.console import Console
from typer.testing import CliRunner

from platform_deploy.ops.cli import app
from platform_deploy.ops.output import fields_of, scalar
from platform_deploy.ops.words import choose, lang_in, untranslated

DRAW = {"campaign_id": "winter", "display_name": "겨울 콘서트 추첨", "seats": 3, "waitlist_size": 2,
        "draw_at": "2026-12-01T11:00:00+00:00", "requires_intro": False, "requires_adgate": False,
        "weight_cap": None, "cooldown_hours": 0.0, "status": "open", "commitment": None, "frozen_set_hash": None,
        "algorithm": None}


@pytest.fixture(autouse=True)
def no_language_chosen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("OPS_LANG", raising=False)
    yield
    choose(None)


def test_every_help_text_has_its_korean() -> None:
    assert untranslated(typer.main.get_command(app)) == [], "add the Korean to the module's Words(help=…)"


def test_help_is_korean_by_default_and_english_on_request() -> None:
    korean = CliRunner().invoke(app, ["--help"]).output
    assert "서비스의 응답을 JSON으로 출력" in korean and "Print the services' answers as JSON" not in korean
    assert "응모를 마감합니다" in CliRunner().invoke(app, ["draws", "--help"]).output
    for english in (CliRunner().invoke(app, ["--lang", "en", "--help"]).output,
                    CliRunner().invoke(app, ["--help"], env={"OPS_LANG": "en"}).output):
        assert "Print the services' answers as JSON" in english and "서비스의" not in english
    assert "Stop entries" in CliRunner().invoke(app, ["--lang=en", "draws", "--help"]).output


def test_the_language_option_is_the_roots_only() -> None:
    assert lang_in(["--json", "--totp", "123456", "--lang", "en", "draws", "list"]) == "en"
    assert lang_in(["--lang=ko", "whoami"]) == "ko"
    assert lang_in(["draws", "list", "--lang", "en"]) is None, "after the command it is not the root's"
    assert lang_in(["--lang", "fr"]) is None


def test_times_are_shown_in_kst_to_the_minute_with_the_zone_named() -> None:
    assert scalar("2026-12-01T11:00:59.349049+00:00") == "2026년 12월 1일 20:00 (KST)"
    choose("en")
    assert scalar("2026-12-01T20:00:00+09:00") == "1 Dec 2026, 20:00 (KST)"
    assert scalar("2026-12-01") == "2026-12-01" and scalar("8200001") == "8200001", "not instants: as they are"
    console = Console(width=120, record=True, color_system=None)
    console.print(fields_of(DRAW, ["campaign_id", "draw_at"]))
    assert "1 Dec 2026, 20:00 (KST)" in console.export_text() and "+00:00" not in console.export_text()


class Recorder(BaseHTTPRequestHandler):
    """A lottery that refuses everything, in the language it was asked in, and remembers what was asked."""

    languages: ClassVar[list[str | None]] = []

    def do_GET(self) -> None:
        language = self.headers.get("Accept-Language")
        Recorder.languages.append(language)
        if self.path.startswith("/draws/winter"):
            body = json.dumps(DRAW).encode()
            self.send_response(200)
        else:
            message = {"en": "Not possible in the current state"}.get(language or "",
                                                                        "지금 상태에서는 할 수 없는 작업입니다")
            body = json.dumps({"error": "InvalidStateError", "message": message}).encode()
            self.send_response(409)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def lottery(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    session = tmp_path / "session.json"
    session.write_text(json.dumps({"account": "kim", "access_token": "token"}))
    monkeypatch.setenv("OPS_LOTTERY_URL", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("OPS_SESSION_FILE", str(session))
    monkeypatch.setenv("OPS_PROFILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("COLUMNS", "160")
    Recorder.languages = []
    try:
        yield
    finally:
        server.shutdown()


@pytest.mark.usefixtures("lottery")
def test_every_request_asks_for_the_clis_language_and_its_answers_speak_it() -> None:
    refused = CliRunner().invoke(app, ["draws", "list"])
    assert refused.exit_code == 3 and "지금 상태에서는 할 수 없는 작업입니다 (409)" in refused.output
    english = CliRunner().invoke(app, ["--lang", "en", "draws", "list"])
    assert english.exit_code == 3 and "Not possible in the current state (409)" in english.output
    assert Recorder.languages == ["ko", "en"]

    shown = CliRunner().invoke(app, ["draws", "precheck", "winter"])
    assert shown.exit_code == 1 and "✗ 상태가 closed 또는 drawing_ready: open" in shown.output
    assert "winter 사전 점검 실패" in shown.output
    machine = json.loads(CliRunner().invoke(app, ["--json", "draws", "precheck", "winter"]).stdout
                         .split("\nError")[0])
    assert machine["report"]["draw_at"] == "2026-12-01T11:00:00Z", "--json keeps the service's ISO value"
