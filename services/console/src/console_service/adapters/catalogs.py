"""The console's words: one gettext catalog per language (entrypoints/http/locale/<ko|en>/LC_MESSAGES/
console.po), compiled in memory at start-up with Babel, so no compiled file is kept in the repository. The
msgids are English; every one has a Korean and an English entry (tests/…test_catalogs.py fails otherwise)."""

from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from platform_shared.i18n import LOCALES, Locale

LOCALE_DIR = Path(__file__).resolve().parents[1] / "entrypoints" / "http" / "locale"


def catalog_path(locale: Locale) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "console.po"


def load_translations() -> dict[Locale, Translations]:
    loaded: dict[Locale, Translations] = {}
    for locale in LOCALES:
        with catalog_path(locale).open("rb") as file:
            catalog = read_po(file, locale=locale)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        loaded[locale] = Translations(compiled)
    return loaded
