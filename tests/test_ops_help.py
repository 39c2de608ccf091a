"""The README's operator section is the ops command's own help (tools/ops_help.py prints it)."""

import runpy
from pathlib import Path

from tests.support import readme_section

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_operator_section_is_the_commands_help() -> None:
    text = runpy.run_path(str(ROOT / "tools/ops_help.py"))["ops_help"]()
    assert readme_section("ops") == text, "README out of date: paste the output of `python tools/ops_help.py`"
    assert all(f"lottery-ops {group} --help" in text for group in ("draws", "policy", "consumers", "dead-letters",
                                                                    "notifications", "waitlist", "audit"))
