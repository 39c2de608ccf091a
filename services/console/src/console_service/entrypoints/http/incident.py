"""장애 / One incident (seed §13): its status, SEV, what it affects, the timeline (who, what, when in KST), its
banners and `#ops-incident` posts with their delivery state; a note, and the status moved (mitigated, or
resolved — final, so confirmed first). The first response is in incident_response.py."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Request
from starlette.responses import RedirectResponse, Response

from console_service.domain.incidents import BANNER_KINDS, FEATURES, POST_KINDS, POST_STATES, STATUSES, STEPS
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.policies import may
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.incidents import NoteIn, StatusIn
from platform_shared.contracts.admin.models import BIGINT_MAX

router = APIRouter()
IncidentId = Annotated[int, Path(ge=1, le=BIGINT_MAX)]
Text = Annotated[str, Form(max_length=4000)]
WORDS = {"statuses": STATUSES, "steps": STEPS, "post_states": POST_STATES, "post_kinds": POST_KINDS,
         "banner_kinds": BANNER_KINDS, "features": FEATURES}


def incident_page(request: Request, console: Console, pages: Pages, incident_id: int, *, status: int = 200,
                  form: str = "", values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                  message: str = "", other_errors: dict[str, str] | None = None, **dialogs: Any) -> Response:
    """The page, with the form `form` refilled and its errors, or a dialog (`prepared`, `resolving`) open."""
    policy = console.services(request).policy
    incident = policy.incident(incident_id)
    level = next(level for level in policy.incident_levels() if level.sev == incident.sev)
    still_exempt = [c for c in request.query_params.get("still_exempt", "").split(",") if c]
    return pages.render(request, "pages/incidents/incident.html", status_code=status, incident=incident,
                        level=level, form=form, values=values or {}, errors=errors or {}, message=message,
                        other_errors=other_errors or {},
                        still_exempt=still_exempt, words=WORDS,
                        may_act=may(console, request, "POST", "/incidents/{incident_id}/notes"), **dialogs)


@router.get("/incidents/{incident_id}")
def incident(request: Request, console: ConsoleDep, pages: PagesDep, incident_id: IncidentId) -> Response:
    return incident_page(request, console, pages, incident_id)


@router.post("/incidents/{incident_id}/notes")
def note(request: Request, console: ConsoleDep, pages: PagesDep, incident_id: IncidentId, text: Text = "") -> Response:
    if not text.strip():
        return incident_page(request, console, pages, incident_id, status=422, form="note", values={"text": text},
                             errors={"text": pages.gettext("Write the note.")})
    try:
        act(console, request, lambda services: services.policy.note_incident(incident_id, NoteIn(text=text.strip())))
    except Refused as refusal:
        return incident_page(request, console, pages, incident_id, status=refusal.status, form="note",
                             values={"text": text}, errors={"text": refusal.fields.get("text", refusal.message)})
    return RedirectResponse(f"/incidents/{incident_id}#timeline", status_code=303)


@router.post("/incidents/{incident_id}/status")
def move(request: Request, console: ConsoleDep, pages: PagesDep, incident_id: IncidentId,
         status: Annotated[Literal["mitigated", "resolved"], Form()], note: Text = "",
         confirmed: Annotated[str, Form(max_length=3)] = "") -> Response:
    """Resolved is final: asked first in a dialog (`confirmed=yes` sends it). Resolving ends the incident's
    banners; AdGate exemptions still in the policy are named, to be switched off there (seed §5.4)."""
    values = {"note": note}
    if len(note.strip()) < 3:
        return incident_page(request, console, pages, incident_id, status=422, form="status", values=values,
                             errors={"note": pages.gettext("Say what changed (at least 3 characters).")})
    if status == "resolved" and confirmed != "yes":
        return incident_page(request, console, pages, incident_id, form="status", values=values, resolving=note)
    try:
        moved = act(console, request, lambda services: services.policy.incident_status(
            incident_id, StatusIn(status=status, note=note.strip())))
    except Refused as refusal:
        return incident_page(request, console, pages, incident_id, status=refusal.status, form="status",
                             values=values, errors={"note": refusal.fields.get("note", refusal.message)})
    exempt = f"?still_exempt={','.join(moved.adgate_still_exempt)}" if moved.adgate_still_exempt else ""
    return RedirectResponse(f"/incidents/{incident_id}{exempt}", status_code=303)
