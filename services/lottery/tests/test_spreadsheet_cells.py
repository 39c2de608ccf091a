"""Exports an operator opens in a spreadsheet carry no formula (OWASP CSV injection)."""

import csv
import io
from datetime import datetime

import pytest

from lottery_service.application.adgate_report import ExemptionRow, as_csv
from lottery_service.domain.spreadsheet_cells import inert
from platform_shared.time.clock import KST


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(cell: str) -> None:
    assert inert(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["spring-2027", "adgate_exempt", "", "a=b", "1.5"])
def test_other_cells_are_left_as_they_are(cell: str) -> None:
    assert inert(cell) == cell


def test_the_adgate_report_neutralises_what_it_did_not_write_itself() -> None:
    at = datetime(2026, 12, 7, 10, 0, tzinfo=KST)
    text = as_csv([ExemptionRow("=cmd|' /C calc'!A0", "@exempt", 3, at, at)])
    [_, row] = list(csv.reader(io.StringIO(text)))
    assert row[:3] == ["'=cmd|' /C calc'!A0", "'@exempt", "3"]
