"""수동 재발송 (seed §6.4): once the template is fixed, choose the segment again and resend — step one shows how
many notifications it holds (never one already sent), step two confirms with the token (seed §2: confirmed twice)."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from starlette.responses import Response

from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.notifications_common import kst_input
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.contracts.admin.models import TokenIn
from platform_shared.contracts.admin.notifier import ResendIn
from platform_shared.contracts.events import TemplateName

router = APIRouter()
TEMPLATES: tuple[str, ...] = TemplateName.__args__  # type: ignore[attr-defined]
Text = Annotated[str, Form(max_length=1000)]


@router.get("/notifications/resend")
def resend_page(request: Request, pages: PagesDep) -> Response:
    return _page(request, pages, form={"statuses": ["dead", "cancelled"]})


@router.post("/notifications/resend/prepare")
def prepare(request: Request, console: ConsoleDep, pages: PagesDep, reason: Text = "",
            statuses: Annotated[list[str] | None, Form()] = None, template: Text = "", campaign_id: Text = "",
            run_id: Text = "", received_from: Text = "", received_to: Text = "") -> Response:
    form = {"reason": reason, "statuses": statuses or [], "template": template, "campaign_id": campaign_id,
            "run_id": run_id, "received_from": received_from, "received_to": received_to}
    fields: dict[str, str] = {}
    moments: dict[str, Any] = {}
    for name in ("received_from", "received_to"):
        try:
            moments[name] = kst_input(form[name])  # type: ignore[arg-type]
        except ValueError:
            fields[name] = pages.gettext("Not a time: pick a date and a time (KST).")
    try:
        segment = ResendIn(reason=reason, statuses=statuses or [], template=template or None,  # type: ignore[arg-type]
                           campaign_id=campaign_id or None, run_id=UUID(run_id) if run_id.strip() else None,
                           **moments)
    except ValueError as error:
        fields.update(_fields(error, pages))
    if fields:
        return _page(request, pages, 422, form=form, fields=fields)
    prepared = act(console, request, lambda services: services.notifier.prepare_resend(segment))
    return _page(request, pages, form=form, prepared=prepared)


@router.post("/notifications/resend/confirm")
def confirm(request: Request, console: ConsoleDep, pages: PagesDep,
            token: Annotated[str, Form(max_length=64)]) -> Response:
    resent = act(console, request, lambda services: services.notifier.confirm_resend(TokenIn(token=token)))
    return _page(request, pages, form={"statuses": ["dead", "cancelled"]}, resent=resent)


def _fields(error: ValueError, pages: Pages) -> dict[str, str]:
    if isinstance(error, ValidationError):
        return {".".join(str(part) for part in e["loc"][:1]): e["msg"] for e in error.errors()}
    return {"run_id": pages.gettext("Not a run id.")}


def _page(request: Request, pages: Pages, status_code: int = 200, **context: Any) -> Response:
    return pages.render(request, "pages/notifications/resend.html", status_code=status_code, templates=TEMPLATES,
                        fields=context.pop("fields", {}), **context)
