"""Every message the console shows exists in Korean and in English (the guide: Korean first, English
alongside), and the catalogs are in step with the code (tools/console_messages.py)."""

import hashlib
import importlib.util
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from console_service.adapters.catalogs import catalog_path, load_translations

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("console_messages", ROOT / "tools/console_messages.py")
assert _spec and _spec.loader
console_messages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(console_messages)
extracted = console_messages.extracted

STATIC = Path(__file__).resolve().parents[1] / "src/console_service/entrypoints/http/static"
HTMX = {"htmx-2.0.11.min.js": "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"}
"""htmx as shipped (npm `htmx.org@2.0.11`, dist/htmx.min.js): the file the pages load is the one recorded."""


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_every_message_the_code_shows_has_this_language(locale):
    catalog = read_po(catalog_path(locale).open("rb"), locale=locale)
    missing = sorted(msgid for msgid in extracted() if not getattr(catalog.get(msgid), "string", ""))
    assert not missing, f"{locale}: no translation for {missing} (python -m tools.console_messages)"


def test_the_catalogs_hold_nothing_the_code_no_longer_shows():
    used = set(extracted())
    for locale in ("ko", "en"):
        unused = {m.id for m in read_po(catalog_path(locale).open("rb")) if m.id} - used
        assert not unused, f"{locale}: {sorted(unused)} (python -m tools.console_messages drops them)"


def test_korean_is_not_english_copied():
    korean = read_po(catalog_path("ko").open("rb"), locale="ko")
    copied = sorted(m.id for m in korean if m.id and m.string == m.id and any(c.isalpha() for c in m.id)
                    and m.id not in {"PM"})
    assert not copied, f"Korean entries that are the English text: {copied}"


def test_the_catalogs_compile():
    translations = load_translations()
    assert translations["ko"].gettext("Sign in") == "로그인"
    assert translations["en"].gettext("role:admin") == "Admin"


def test_htmx_is_the_recorded_file():
    for name, digest in HTMX.items():
        assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == digest
