"""A macro imported without the page's context renders the CSRF field empty: a form that then works only when
htmx adds the header, and not at all without script."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "src/console_service/entrypoints/http/templates"
IMPORT = re.compile(r"\{%-?\s*(?:from|import)\s+\"macros\.html\"[^%]*%\}")


def test_every_template_imports_the_macros_with_context():
    without = [f"{path.relative_to(TEMPLATES)}: {found}" for path in TEMPLATES.rglob("*.html")
               for found in IMPORT.findall(path.read_text()) if "with context" not in found]
    assert not without, "import the macros `with context`:\n" + "\n".join(without)
