"""Keep the console's catalogs in step with its code: every message the templates and the Python code mark
(`_()`, `gettext`, `N_`) gets an entry in both catalogs (Korean and English); translations already there are
kept, new entries come with an empty translation to fill in, entries no longer used are dropped. The test
services/console/tests/test_catalogs.py fails while any entry lacks either language.

    .venv/bin/python -m tools.console_messages          # update both catalogs
    .venv/bin/python -m tools.console_messages --check  # exit 1 when they are out of step (CI)

The msgids are English, so `--english` fills an empty English entry with its msgid (never an id written as a
key, like `role:admin`); the Korean is always written by a person."""

import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parents[1] / "services/console/src/console_service"
LOCALE_DIR = PACKAGE / "entrypoints/http/locale"
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
KEY = re.compile(r"^[a-z_]+:[a-z_.]+$")
"""An id that names a thing rather than saying it (`role:admin`): both languages need a real entry."""
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def extracted() -> dict[str, str]:
    """msgid → where it is first used."""
    found: dict[str, str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(str(PACKAGE), METHODS, OPTIONS):
        for msgid in (message if isinstance(message, tuple) else (message,)):
            if msgid:
                found.setdefault(msgid, f"{filename}:{line}")
    return found


def updated(locale: str, messages: dict[str, str]) -> tuple[Catalog, bool]:
    path = LOCALE_DIR / locale / "LC_MESSAGES" / "console.po"
    old = read_po(path.open("rb"), locale=locale) if path.exists() else Catalog(locale=locale)
    new = Catalog(locale=locale, project="lottery-console", version="1", fuzzy=False,
                  header_comment="# The console's words (tools/console_messages.py)",
                  creation_date=old.creation_date, revision_date=old.revision_date)
    for msgid in sorted(messages):
        kept = old.get(msgid)
        string = kept.string if kept else ""
        if not string and locale == "en" and "--english" in sys.argv and not KEY.match(msgid):
            string = msgid
        new.add(msgid, string, locations=[(messages[msgid].split(":")[0], 0)])
    changed = {m.id for m in old if m.id} != set(messages)
    return new, changed


def main() -> int:
    messages = extracted()
    stale = False
    for locale in ("ko", "en"):
        catalog, changed = updated(locale, messages)
        stale |= changed
        if "--check" not in sys.argv:
            path = LOCALE_DIR / locale / "LC_MESSAGES" / "console.po"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as file:
                write_po(file, catalog, width=120, omit_header=False, no_location=False, sort_output=True)
    if "--check" in sys.argv and stale:
        print("the console's catalogs are out of step with its code: run python -m tools.console_messages")
        return 1
    catalogs = {locale: read_po((LOCALE_DIR / locale / "LC_MESSAGES" / "console.po").open("rb"))
                for locale in ("ko", "en")}
    missing = [(locale, m.id) for locale, catalog in catalogs.items() for m in catalog if m.id and not m.string]
    for locale, msgid in missing:
        print(f"{locale}: no translation for {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
