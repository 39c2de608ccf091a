"""공지 (seed §1 `INCIDENT_NOTICE`, §14): the notices sent (who, when, what, to whom) and a new one — a segment (a
campaign's entrants, or everyone refused in a window), the template's parameters, the channels — prepared first
(how many per channel, a sample, the exact Korean text from the notifier's own preview) and confirmed with its token
(seed §2 "confirmed twice"; the lottery's confirm is sensitive). Quiet hours are the notifier's (seed §6.1)."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from console_service.domain.notice_form import PARAM_LABELS, TEMPLATES, form_fields, notice_of
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.notifications_common import may
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import Refused
from platform_shared.client.notices import rendered_text
from platform_shared.contracts.admin.models import TokenIn
from platform_shared.contracts.notices import NOTICE_PARAMS
from platform_shared.i18n import kst_minute

router = APIRouter()
LISTED = 50
FORM_FIELDS = ("template", "segment_kind", "campaign_id", "refused_from", "refused_until", "refused_reason",
               "incident_id", *(f"params.{name}" for names in NOTICE_PARAMS.values() for name in names))


@router.get("/notifications/notices")
def notices(request: Request, console: ConsoleDep, pages: PagesDep, sent: int | None = None) -> Response:
    return _page(request, console, pages, form=_defaults(console), channels=["message", "email"], sent=sent)


@router.post("/notifications/notices/prepare")
def prepare(request: Request, console: ConsoleDep, pages: PagesDep) -> Response:
    submitted = request.state.form
    form = {name: str(submitted.get(name) or "")[:1000] for name in FORM_FIELDS}
    channels = [str(channel) for channel in submitted.getlist("channels")][:2]
    return _prepare(request, console, pages, form, channels)


def _prepare(request: Request, console: Console, pages: Pages, form: dict[str, str],
             channels: list[str]) -> Response:
    notice, errors = notice_of(form, channels)
    if notice is None:
        return _page(request, console, pages, 422, form=form, channels=channels,
                     fields={name: pages.gettext(problem) for name, problem in errors.items()})
    try:
        prepared = act(console, request, lambda services: services.lottery.prepare_notice(notice))
    except Refused as refusal:
        if not refusal.fields:
            raise
        return _page(request, console, pages, refusal.status, form=form, channels=channels,
                     fields=form_fields(refusal.fields))
    text = rendered_text(console.services(request).notifier, notice)
    return _page(request, console, pages, form=form, channels=channels, prepared=prepared, text=text)


@router.post("/notifications/notices/confirm")
def confirm(request: Request, console: ConsoleDep, token: Annotated[str, Form(max_length=64)]) -> Response:
    sent = act(console, request, lambda services: services.lottery.confirm_notice(TokenIn(token=token)))
    return RedirectResponse(f"/notifications/notices?sent={sent.notice_id}", status_code=303)


def _defaults(console: Console) -> dict[str, str]:
    return {"template": "INCIDENT_NOTICE", "segment_kind": "campaign",
            "params.notice_time": kst_minute(console.clock.now())}


def _page(request: Request, console: Console, pages: Pages, status_code: int = 200, **context: Any) -> Response:
    listed = console.services(request).lottery.notices(limit=LISTED)
    return pages.render(request, "pages/notifications/notices.html", status_code=status_code, notices=listed,
                        templates=TEMPLATES, notice_params=NOTICE_PARAMS, param_labels=PARAM_LABELS,
                        fields=context.pop("fields", {}),
                        may_send=may(request, console, "POST", "/notifications/notices/prepare"), **context)
