"""`lottery-ops draws entries import` reads CSV and JSON and reports every wrong row by row and field; with
any wrong row it hands over no entries at all (nothing is sent). Its words are Korean unless English is asked for
(`--lang en`, OPS_LANG=en); the field-level messages of the entry's model are pydantic's."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from platform_deploy.ops.cli import app
from platform_deploy.ops.entries import RowError, parse_entries

GOOD_CSV = "kakao_user_id,weight,intro_seen\n101,1.5,true\n102,2,false\n\n103,1,\n"


def test_a_good_csv_gives_every_entry() -> None:
    entries, errors = parse_entries("\ufeff" + GOOD_CSV, "csv")
    assert errors == []
    assert [(e.kakao_user_id, e.weight, e.intro_seen) for e in entries] == [(101, 1.5, True), (102, 2.0, False),
                                                                           (103, 1.0, False)]


def test_each_wrong_row_is_named_by_line_and_field_and_no_entry_is_given() -> None:
    text = "kakao_user_id,weight\n101,1\n0,1\n103,heavy\n104,-2\n101,3\n105,1\n"
    entries, errors = parse_entries(text, "csv")
    assert entries == [], "one wrong row: nothing to send"
    assert [(e.row, e.field) for e in errors] == [(3, "kakao_user_id"), (4, "weight"), (5, "weight"),
                                                  (6, "kakao_user_id")]
    assert "이미 2행에 있습니다" in errors[-1].message
    assert "greater than" in errors[0].message


def test_the_header_must_name_known_columns() -> None:
    entries, errors = parse_entries("user,weight\n1,1\n", "csv")
    assert entries == []
    assert RowError(1, "kakao_user_id", "필수 열이 없습니다") in errors
    assert [e.field for e in errors if e.row == 1 and "응모의 열이 아닙니다" in e.message] == ["user"]
    assert [(e.row, e.field) for e in parse_entries("", "csv")[1]] == [(1, "header")]


def test_json_as_a_list_or_an_object_with_entries() -> None:
    listed = [{"kakao_user_id": 7, "weight": 1}, {"kakao_user_id": 8, "weight": 2, "adgate_verified": True}]
    for text in (json.dumps(listed), json.dumps({"entries": listed})):
        entries, errors = parse_entries(text, "json")
        assert errors == [] and [e.kakao_user_id for e in entries] == [7, 8]
    entries, errors = parse_entries(json.dumps([listed[0], {"kakao_user_id": 9}, "x", {**listed[1], "vip": 1}]),
                                    "json")
    assert entries == []
    assert [(e.row, e.field) for e in errors] == [(3, "entry"), (2, "weight"), (4, "vip")]
    assert parse_entries("{oops", "json")[1][0].field == "file"
    assert parse_entries("[]", "json")[1][0].message == "파일에 응모가 없습니다"


def test_the_import_command_reports_the_rows_and_sends_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No lottery listens at the address: a send would end in exit 4 (unreachable), not 3 (refused)."""
    monkeypatch.setenv("OPS_LOTTERY_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("OPS_PROFILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("COLUMNS", "100")
    wrong = tmp_path / "entrants.csv"
    wrong.write_text("kakao_user_id,weight\n1,1\n2,heavy\n3,1\n")
    result = CliRunner().invoke(app, ["draws", "entries", "import", "summer", str(wrong)])
    assert result.exit_code == 3, result.output
    assert "│ 3   │ weight │ Input should be a valid number" in result.output
    assert "1개 행이 잘못되었습니다: 아무것도 보내지 않았고 저장되지 않았습니다" in result.output
    for english in (CliRunner().invoke(app, ["--lang", "en", "draws", "entries", "import", "summer", str(wrong)]),
                    CliRunner().invoke(app, ["draws", "entries", "import", "summer", str(wrong)],
                                       env={"OPS_LANG": "en"})):
        assert english.exit_code == 3 and "1 row(s) of" in english.output, english.output
        assert "nothing was sent, nothing stored" in english.output
    answered = CliRunner().invoke(app, ["--json", "draws", "entries", "import", "summer", str(wrong)])
    assert json.loads(answered.stdout)["errors"][0] == {"row": 3, "field": "weight", "message": (
        "Input should be a valid number, unable to parse string as a number")}
