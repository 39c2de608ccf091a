"""정책 / Policies, the propagation view (seed §8.3 "캐시 무결성 확인"): the version every process of every
service runs, beside the version in force; lagging and silent processes flagged in words, not colour only.
The table refreshes itself every few seconds while the page is open."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep

router = APIRouter()


@router.get("/policies/propagation")
def propagation(request: Request, console: ConsoleDep, pages: PagesDep) -> Response:
    return pages.render(request, "pages/policies/propagation.html",
                        fleet=console.services(request).policy.propagation())


@router.get("/policies/propagation/table")
def propagation_table(request: Request, console: ConsoleDep, pages: PagesDep) -> Response:
    """The table alone, for the page's own refresh."""
    return pages.render(request, "pages/policies/_propagation_table.html",
                        fleet=console.services(request).policy.propagation())
