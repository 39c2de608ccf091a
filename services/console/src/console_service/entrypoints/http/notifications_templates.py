"""알림 템플릿 (seed §6.3: check the templates, fix, then resend §6.4): every template per name and locale, an
editor whose preview is rendered by the notifier itself as it types (POST /templates/{name}/preview: the send's own
rules, sample parameters), an unknown placeholder shown next to the field, and the save (audited, step-up)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.notifications_common import may
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.notifier import TemplateIn, TemplatePreviewIn
from platform_shared.contracts.events import MessageLocale, TemplateName

router = APIRouter()
Body = Annotated[str, Form(max_length=4000)]


@router.get("/notifications/templates")
def templates(request: Request, console: ConsoleDep, pages: PagesDep, saved: str | None = None) -> Response:
    listed = sorted(console.services(request).notifier.templates(), key=lambda t: (t.name, t.locale != "ko"))
    return pages.render(request, "pages/notifications/templates.html", templates=listed, saved=saved)


@router.get("/notifications/templates/{name}/{locale}")
def template(request: Request, console: ConsoleDep, pages: PagesDep, name: TemplateName,
             locale: MessageLocale) -> Response:
    found = next((t for t in console.services(request).notifier.templates()
                  if t.name == name and t.locale == locale), None)
    return _editor(request, console, pages, name, locale, found.body if found else "", "")


@router.post("/notifications/templates/{name}/{locale}/preview")
def preview(request: Request, console: ConsoleDep, pages: PagesDep, name: TemplateName, locale: MessageLocale,
            body: Body = "") -> Response:
    """The fragment under the editor: the text as a message would read, or what is wrong with the body."""
    text, fields = _previewed(request, console, pages, name, locale, body)
    return pages.render(request, "pages/notifications/preview.html", text=text, fields=fields)


@router.post("/notifications/templates/{name}/{locale}")
def save(request: Request, console: ConsoleDep, pages: PagesDep, name: TemplateName, locale: MessageLocale,
         body: Body, reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    text, fields = _previewed(request, console, pages, name, locale, body)
    if len(reason.strip()) < 3:
        fields["reason"] = pages.gettext("Say why, in at least three characters.")
    if fields:  # nothing is saved: each error next to its field
        return _editor(request, console, pages, name, locale, body, reason, fields, text, 422)
    try:
        act(console, request, lambda services: services.notifier.update_template(
            name, TemplateIn(body=body, reason=reason), locale=locale))
    except Refused as refusal:
        if not refusal.fields:
            raise
        return _editor(request, console, pages, name, locale, body, reason, dict(refusal.fields), text,
                       refusal.status)
    return RedirectResponse(f"/notifications/templates?saved={name}:{locale}", status_code=303)


def _previewed(request: Request, console: ConsoleDep, pages: Pages, name: str, locale: Literal["ko", "en"],
               body: str) -> tuple[str | None, dict[str, str]]:
    if not body.strip():
        return None, {"body": pages.gettext("A template needs a body.")}
    try:
        shown = console.services(request).notifier.preview_template(name, TemplatePreviewIn(body=body, locale=locale))
    except Refused as refusal:
        return None, dict(refusal.fields) or {"body": refusal.message}
    return shown.text, {}


def _editor(request: Request, console: ConsoleDep, pages: Pages, name: str, locale: str, body: str, reason: str,
            fields: dict[str, str] | None = None, text: str | None = None, status_code: int = 200) -> Response:
    if text is None and not fields and body:
        text, _ = _previewed(request, console, pages, name, locale, body)  # type: ignore[arg-type]
    return pages.render(request, "pages/notifications/template.html", status_code=status_code, name=name,
                        locale=locale, body=body, reason=reason, fields=fields or {}, text=text,
                        may_save=may(request, console, "POST", "/notifications/templates/{name}/{locale}"))
