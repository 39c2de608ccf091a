"""The CLI's words, Korean first (people read Korean first; English on request): `--lang en` before the
command, or OPS_LANG=en. Each module keeps its words in one `Words` — key → (English, Korean) — with the Korean
of its help texts keyed by their English (which stays next to the code it describes). Times are printed in KST
to the minute with the zone named (platform_shared.i18n), in either language; `--json` keeps machine values.

LANG and LC_ALL are not read: a server's locale is en_US or C whoever sits at it, and the operators read Korean."""

import os
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

from typer.core import TyperGroup

from platform_shared.i18n import DEFAULT_LOCALE, Locale, kst_minute_of_text

_chosen: ContextVar[Locale | None] = ContextVar("ops_language", default=None)
_KOREAN_HELP: dict[str, str] = {}
"""Every module's help texts in Korean, by their English text (filled as the modules' Words are made)."""


def locale_named(value: str | None) -> Locale | None:
    """`en`, `en_US.UTF-8`, `ko-KR` → its locale; anything else → None."""
    language = (value or "").strip().lower()[:2]
    if language == "en":
        return "en"
    if language == "ko":
        return "ko"
    return None


def language() -> Locale:
    """The CLI's language: `--lang`, else OPS_LANG, else Korean."""
    return _chosen.get() or locale_named(os.environ.get("OPS_LANG")) or DEFAULT_LOCALE


def choose(locale: Locale | None) -> None:
    _chosen.set(locale)


class Words(Mapping[str, str]):
    """A module's words: `WORDS["key"]` is the text in the CLI's language at the moment it is read."""

    def __init__(self, words: Mapping[str, tuple[str, str]], help: Mapping[str, str] | None = None) -> None:
        self._words = dict(words)
        self.help = dict(help or {})
        _KOREAN_HELP.update(self.help)

    def __getitem__(self, key: str) -> str:
        english, korean = self._words[key]
        return english if language() == "en" else korean

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


def readable(value: Any) -> Any:
    """A value as people read it: an ISO instant with its offset (a service's `draw_at`, `respond_by`,
    `paused_until`, …) in KST to the minute, the zone named; anything else as it is."""
    return kst_minute_of_text(value, language()) if isinstance(value, str) else value


def lang_in(arguments: Sequence[str]) -> Locale | None:
    """The root's `--lang` among the arguments, read before anything else (so `--help` speaks it too)."""
    words = iter(arguments)
    for word in words:
        if word == "--lang":
            return locale_named(next(words, None))
        if word.startswith("--lang="):
            return locale_named(word.partition("=")[2])
        if word == "--totp":
            next(words, None)
        elif not word.startswith("-"):
            return None  # the subcommand: what follows is its own
    return None


def in_korean(command: Any, korean: Mapping[str, str]) -> None:
    """The command tree's help texts in Korean, where the catalogue has them."""
    command.help = korean.get(command.help, command.help) if command.help else command.help
    command.short_help = korean.get(command.short_help, command.short_help) if command.short_help else None
    for parameter in command.params:
        if getattr(parameter, "help", None):
            parameter.help = korean.get(parameter.help, parameter.help)
    for subcommand in getattr(command, "commands", {}).values():
        in_korean(subcommand, korean)


def untranslated(command: Any, korean: Mapping[str, str] | None = None) -> list[str]:
    """Help texts the catalogue has no Korean for (a test keeps this empty)."""
    catalogue = _KOREAN_HELP if korean is None else korean
    texts = [command.help, *(getattr(parameter, "help", None) for parameter in command.params)]
    missing = [text for text in texts if text and text not in catalogue]
    for subcommand in getattr(command, "commands", {}).values():
        missing += untranslated(subcommand, catalogue)
    return missing


class OpsGroup(TyperGroup):
    """The root command: takes the language from `--lang` (or OPS_LANG) before parsing, then speaks it in every
    help text and message."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        choose(lang_in(args))
        if language() == "ko":
            in_korean(self, _KOREAN_HELP)
        return super().make_context(info_name, args, parent, **extra)
