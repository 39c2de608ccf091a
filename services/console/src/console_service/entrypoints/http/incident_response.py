"""장애 / An incident's first response (seed §13 "초기 대응") in two steps: prepare shows exactly what will happen —
the banner text, the policy change field by field, the campaigns — in a dialog; confirm sends its token through
`act`, so a stale second factor asks for a code first. SEV3's queue check records the notifier dashboard's
figures, read here as `lottery-ops incident respond` reads them (seed §6.1)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from console_service.domain.incidents import at_fields, queue_figures
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.incident import IncidentId, incident_page
from console_service.entrypoints.http.policies import TOKEN
from console_service.entrypoints.http.policies_form import validated
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.endpoint import as_json
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.incidents import FirstResponseIn
from platform_shared.contracts.admin.models import TokenIn

router = APIRouter()
Text = Annotated[str, Form(max_length=1000)]
FIELDS = ("reason", "banner_text", "banner_text_en", "detour", "valid_from", "valid_until", "queue_check")


def _day(text: str) -> str | None:
    return text.strip() or None


@router.post("/incidents/{incident_id}/first-response/prepare")
def prepare(request: Request, console: ConsoleDep, pages: PagesDep, incident_id: IncidentId, reason: Text = "",
            banner_text: Text = "", banner_text_en: Text = "", detour: Annotated[str, Form(max_length=3)] = "",
            valid_from: Annotated[str, Form(max_length=20)] = "",
            valid_until: Annotated[str, Form(max_length=20)] = "") -> Response:
    values = {"reason": reason, "banner_text": banner_text, "banner_text_en": banner_text_en, "detour": detour,
              "valid_from": valid_from, "valid_until": valid_until}
    services = console.services(request)
    figures = None
    if services.policy.incident(incident_id).sev == 3:
        figures = queue_figures(as_json(services.notifier.dashboard()))
    body, fields = validated(FirstResponseIn, reason=reason.strip(), banner_text=banner_text.strip() or None,
                             banner_text_en=banner_text_en.strip() or None, detour=detour == "yes",
                             valid_from=_day(valid_from), valid_until=_day(valid_until), queue_check=figures)
    message = ""
    if body is not None:
        try:
            prepared = act(console, request,
                           lambda services: services.policy.prepare_first_response(incident_id, body))
            return incident_page(request, console, pages, incident_id, form="respond", values=values,
                                 prepared=prepared)
        except Refused as refusal:
            message, fields = refusal.message, refusal.fields
    at_field, other = at_fields(fields, FIELDS)
    return incident_page(request, console, pages, incident_id, status=422, form="respond", values=values,
                         errors=at_field, message=message, other_errors=other)


@router.post("/incidents/{incident_id}/first-response/confirm")
def confirm(request: Request, console: ConsoleDep, incident_id: IncidentId,
            token: Annotated[str, Form(pattern=TOKEN)]) -> Response:
    """Step two (sensitive): done once; the timeline, the audit chain and `#ops-incident` record it."""
    act(console, request, lambda services: services.policy.confirm_first_response(incident_id, TokenIn(token=token)))
    return RedirectResponse(f"/incidents/{incident_id}?responded=1#first-response", status_code=303)
