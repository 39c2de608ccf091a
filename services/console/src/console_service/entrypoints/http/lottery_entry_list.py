"""추첨 / Lottery: a draw's entries, a page at a time from the service (a draw of a million entries opens as
fast as one of ten: `GET /draws/{id}/entries?offset=&limit=` reads one page of its index)."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from console_service.domain.paging import Page
from console_service.entrypoints.http.lottery import DRAW_PAGE
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep

router = APIRouter()


@router.get(f"{DRAW_PAGE}/entries")
def entries(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str, page: int = 1,
            size: int = 50) -> Response:
    lottery = console.services(request).lottery
    asked = Page.of(page, size, 10**12)
    found = lottery.entries(campaign_id, asked.offset, asked.size)
    chosen = Page.of(page, size, found.total)
    if chosen.offset != asked.offset:  # past the end: the last page
        found = lottery.entries(campaign_id, chosen.offset, chosen.size)
    base = DRAW_PAGE.format(campaign_id=campaign_id)
    return pages.render(request, "pages/lottery/entries.html", campaign_id=campaign_id, found=found, page=chosen,
                        draw_url=base, base=f"{base}/entries")
