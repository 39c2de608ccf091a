"""The README's route table is the access tables themselves (tools/route_table.py prints it)."""

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_route_table_is_the_access_tables() -> None:
    table = runpy.run_path(str(ROOT / "tools/route_table.py"))["route_table"]()
    readme = (ROOT / "README.md").read_text()
    shown = readme.split("<!-- routes:begin -->\n", 1)[1].split("\n<!-- routes:end -->", 1)[0]
    assert shown == table, "README out of date: paste the output of `python tools/route_table.py`"
