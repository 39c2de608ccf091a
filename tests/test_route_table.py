"""The README's route table is the access tables themselves (tools/route_table.py prints it)."""

import runpy
from pathlib import Path

from tests.support import readme_section

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_route_table_is_the_access_tables() -> None:
    table = runpy.run_path(str(ROOT / "tools/route_table.py"))["route_table"]()
    assert readme_section("routes") == table, "README out of date: paste the output of `python tools/route_table.py`"


def test_the_readme_console_route_table_is_the_consoles_access_table() -> None:
    table = runpy.run_path(str(ROOT / "tools/route_table.py"))["console_route_table"]()
    assert readme_section("console-routes") == table, \
        "README out of date: paste the output of `python tools/route_table.py --console`"
