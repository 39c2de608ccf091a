"""장애 / Incidents (seed §13): the list — the incidents still open first, then every one a page at a time — and
the form that opens one, the §13 table shown as the choice (each SEV's definition, examples and first response
as a checklist); the service's refusals shown next to their fields."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from console_service.domain.incidents import FEATURES, STATUSES, at_fields, listed
from console_service.domain.paging import paged
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.policies import may
from console_service.entrypoints.http.policies_form import validated
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.incidents import IncidentIn, IncidentOut

router = APIRouter()
OPEN_FIELDS = ("sev", "title", "summary", "campaigns", "features")
ACTIVE_MOST = 200
"""Incidents still open or mitigated are few; more than this would be shown in the full list below."""


@router.get("/incidents")
def incident_list(request: Request, console: ConsoleDep, pages: PagesDep, page: int = 1, size: int = 0) -> Response:
    return _list_page(request, console, pages, page, size)


def _list_page(request: Request, console: Console, pages: Pages, number: int = 1, size: int = 0, *,
               status: int = 200, values: dict[str, object] | None = None, errors: dict[str, str] | None = None,
               other_errors: dict[str, str] | None = None, message: str = "") -> Response:
    policy = console.services(request).policy
    active = [row for state in ("open", "mitigated") for row in policy.incidents(state, 0, ACTIVE_MOST).rows]
    active.sort(key=lambda row: row.opened_at, reverse=True)
    found, paging = paged(lambda offset, limit: policy.incidents(None, offset, limit), number, size)
    return pages.render(request, "pages/incidents/list.html", status_code=status, active=active, rows=found.rows,
                        page=paging, levels=policy.incident_levels(), features=FEATURES, statuses=STATUSES,
                        values=values or {}, errors=errors or {}, other_errors=other_errors or {}, message=message,
                        may_open=may(console, request, "POST", "/incidents"))


def _sev(text: str) -> int | str:
    return int(text) if text.strip().isdigit() else text


@router.post("/incidents")
def open_incident(request: Request, console: ConsoleDep, pages: PagesDep,
                  title: Annotated[str, Form(max_length=1000)] = "", sev: Annotated[str, Form(max_length=10)] = "",
                  summary: Annotated[str, Form(max_length=8000)] = "",
                  campaigns: Annotated[str, Form(max_length=5000)] = "") -> Response:
    """Opened, it is shown with its timeline; `#ops-incident` gets the post with the SEV's checklist."""
    features = [value for value in request.state.form.getlist("features") if isinstance(value, str)]
    values: dict[str, object] = {"title": title, "sev": sev, "summary": summary, "campaigns": campaigns,
                                 "features": features}
    body, fields = validated(IncidentIn, sev=_sev(sev) if sev else None, title=title.strip(),
                             summary=summary.strip(), campaigns=listed(campaigns), features=features)
    if not title.strip():
        fields["title"] = pages.gettext("Give the incident a title.")
    message = ""
    if body is not None and not fields:
        try:
            opened: IncidentOut = act(console, request, lambda services: services.policy.open_incident(body))
            return RedirectResponse(f"/incidents/{opened.id}", status_code=303)
        except Refused as refusal:
            message, fields = refusal.message, refusal.fields
    at_field, other = at_fields(fields, OPEN_FIELDS)
    return _list_page(request, console, pages, status=422, values=values, errors=at_field, other_errors=other,
                      message=message)
