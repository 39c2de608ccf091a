"""Incidents (seed §13): the SEV table, open, notes, status, the first response in two steps, and one incident
with its timeline, banners and `#ops-incident` posts."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from platform_shared.contracts.admin.incidents import (
    FirstResponseDoneOut,
    FirstResponseIn,
    FirstResponsePreparedOut,
    IncidentDetailOut,
    IncidentIn,
    IncidentOut,
    IncidentPageOut,
    IncidentStatus,
    LevelOut,
    NoteIn,
    ResolvedOut,
    StatusIn,
)
from platform_shared.contracts.admin.models import BIGINT_MAX, TokenIn
from platform_shared.web.access import AdminId
from platform_shared.web.use_cases import use_case
from policy_service.application.first_response import FirstResponses
from policy_service.application.incidents import Incidents, levels

Steps = Annotated[Incidents, use_case(Incidents)]
Responses = Annotated[FirstResponses, use_case(FirstResponses)]
IncidentId = Annotated[int, Path(ge=1, le=BIGINT_MAX)]

router = APIRouter(prefix="/incidents", tags=["incidents"])


@router.get("/levels")
async def sev_levels() -> list[LevelOut]:
    """The seed §13 table: each SEV's definition, examples and first response as a checklist (Korean, English
    alongside)."""
    return levels()


@router.get("")
async def list_incidents(steps: Steps, status: IncidentStatus | None = None,
                         offset: int = Query(default=0, ge=0, le=BIGINT_MAX),
                         limit: int = Query(default=50, ge=1, le=200)) -> IncidentPageOut:
    """Newest first, a page at a time, optionally of one status."""
    return await steps.page(status, offset, limit)


@router.post("", status_code=201)
async def open_incident(body: IncidentIn, admin: AdminId, steps: Steps) -> IncidentOut:
    """Open an incident: its timeline starts, `#ops-incident` gets the post with the SEV's checklist."""
    return await steps.open(admin, body)


@router.get("/{incident_id}")
async def show_incident(incident_id: IncidentId, steps: Steps) -> IncidentDetailOut:
    return await steps.show(incident_id)


@router.post("/{incident_id}/notes")
async def add_note(incident_id: IncidentId, body: NoteIn, admin: AdminId, steps: Steps) -> IncidentOut:
    """An update on the timeline (a note, a notice asked, an alert linked) and on `#ops-incident`."""
    return await steps.note(admin, incident_id, body)


@router.post("/{incident_id}/status")
async def change_status(incident_id: IncidentId, body: StatusIn, admin: AdminId, steps: Steps) -> ResolvedOut:
    """Mitigated or resolved (final), with a note; resolving ends the incident's banners at this instant."""
    return await steps.set_status(admin, incident_id, body)


@router.post("/{incident_id}/first-response/prepare")
async def prepare_first_response(incident_id: IncidentId, body: FirstResponseIn, admin: AdminId,
                                 responses: Responses) -> FirstResponsePreparedOut:
    """Step one: exactly what the SEV's first response will do (banner, policy fields, figures) and its token."""
    prepared: dict[str, Any] = await responses.prepare(admin, incident_id, body)
    return FirstResponsePreparedOut.model_validate(prepared)


@router.post("/{incident_id}/first-response/confirm")
async def confirm_first_response(incident_id: IncidentId, body: TokenIn, admin: AdminId,
                                 responses: Responses) -> FirstResponseDoneOut:
    """Step two (fresh second factor): done once, recorded in the timeline; the same token again answers the
    same outcome."""
    return await responses.confirm(admin, incident_id, body.token)
