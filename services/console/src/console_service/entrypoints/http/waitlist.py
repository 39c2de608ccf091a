"""대기자 / Waitlist (seed §4): a run's seats and offers with their state and deadline (KST), and a promotion pass
now (§4.1: the scheduler runs one every 15 minutes; an operator may run one at once)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from console_service.domain.paging import Page
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.notifications_common import may
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.auth.access import Role

router = APIRouter()
SEES_OFFERS = {Role.ADMIN, Role.PM, Role.DATA}
"""Who the waitlist shows a run's offers to (its GET /runs/{run_id}/offers): Partner Ops see the counts only."""


@router.get("/waitlist")
def waitlist(request: Request, console: ConsoleDep, pages: PagesDep, run_id: Annotated[UUID | None, Query()] = None,
             page: int | None = None, size: int | None = None, promoted: int | None = None) -> Response:
    if run_id is None:
        return pages.render(request, "pages/waitlist/index.html", run_id=None)
    services = console.services(request)
    status = services.waitlist.run_status(run_id)
    offers = services.waitlist.offers(run_id) if request.state.session.role in SEES_OFFERS else None
    shown = Page.of(page, size, len(offers or []))
    return pages.render(request, "pages/waitlist/index.html", run_id=run_id, status=status,
                        offers=(offers or [])[shown.offset:shown.offset + shown.size] if offers is not None else None,
                        page=shown, promoted=promoted,
                        may_promote=may(request, console, "POST", "/waitlist/runs/{run_id}/promote"))


@router.post("/waitlist/runs/{run_id}/promote")
def promote(request: Request, console: ConsoleDep, run_id: UUID) -> Response:
    outcome = act(console, request, lambda services: services.waitlist.promote(run_id))
    return RedirectResponse(f"/waitlist?run_id={run_id}&promoted={len(outcome.promoted)}", status_code=303)
