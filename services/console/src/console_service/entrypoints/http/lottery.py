"""추첨 / Lottery (seed §3, §11): the draws, their pre-check, dry run, two-step run, results, verification,
rollback and corrections."""

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep

router = APIRouter()


@router.get("/lottery")
async def draws(request: Request, console: ConsoleDep, pages: PagesDep) -> Response:
    listed = await run_in_threadpool(console.services(request).lottery.draws)
    return pages.render(request, "pages/lottery.html", draws=listed)
