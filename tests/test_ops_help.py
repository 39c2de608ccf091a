"""The README's operator section is the ops command's own help (tools/ops_help.py prints it)."""

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_operator_section_is_the_commands_help() -> None:
    text = runpy.run_path(str(ROOT / "tools/ops_help.py"))["ops_help"]()
    readme = (ROOT / "README.md").read_text()
    shown = readme.split("<!-- ops:begin -->\n", 1)[1].split("\n<!-- ops:end -->", 1)[0]
    assert shown == text, "README out of date: paste the output of `python tools/ops_help.py`"
    assert all(f"lottery-ops {group} --help" in text for group in ("draws", "policy", "consumers", "dead-letters",
                                                                    "notifications", "waitlist", "audit"))
