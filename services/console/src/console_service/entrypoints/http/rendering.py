"""Pages rendered on the server (Jinja2), in the reader's language (gettext catalogs, Korean by default) with
every instant in KST, the zone named (seed front matter: `timezone: Asia/Seoul`)."""

from collections.abc import Mapping
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from typing import Any

from babel.support import Translations
from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.responses import Response

from console_service.adapters.catalogs import load_translations
from console_service.domain.sections import sections_for
from platform_shared.i18n import DEFAULT_LOCALE, Locale, kst_minute, kst_minute_of_text

TEMPLATES = Path(__file__).parent / "templates"
_locale: ContextVar[Locale] = ContextVar("console_locale", default=DEFAULT_LOCALE)


class Pages:
    """The templates and the words: `Pages.render(request, "pages/lottery.html", draws=…)`."""

    def __init__(self) -> None:
        self.translations: Mapping[Locale, Translations] = load_translations()
        environment = Environment(loader=FileSystemLoader(TEMPLATES), extensions=["jinja2.ext.i18n"],
                                  autoescape=True)
        self.templates = Jinja2Templates(env=environment)
        environment.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
            lambda message: self.gettext(message),
            lambda singular, plural, n: self.translations[_locale.get()].ngettext(singular, plural, n),
            newstyle=True)
        environment.filters["kst"] = kst
        environment.filters["number"] = lambda value: f"{value:,}" if isinstance(value, int) else value

    def gettext(self, message: str) -> str:
        return str(self.translations[_locale.get()].gettext(message))

    def render(self, request: Request, template: str, status_code: int = 200,
               headers: Mapping[str, str] | None = None, **context: Any) -> Response:
        use_locale(getattr(request.state, "locale", DEFAULT_LOCALE))
        session = getattr(request.state, "session", None)
        base = {"locale": _locale.get(), "session": session,
                "sections": sections_for(session.role) if session else [],
                "csrf": getattr(request.state, "csrf", ""), "path": request.url.path,
                "htmx": request.headers.get("HX-Request") == "true"}
        return self.templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code,
                                               headers=dict(headers or {}))


def use_locale(locale: Locale) -> None:
    """The language of everything rendered for the current request (set by the guard)."""
    _locale.set(locale)


def current_locale() -> Locale:
    return _locale.get()


def kst(value: datetime | str | None) -> str:
    """`{{ run.executed_at | kst }}`: an instant (or its ISO text) in KST to the minute, the zone named."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return kst_minute(value, _locale.get())
    return kst_minute_of_text(value, _locale.get())
