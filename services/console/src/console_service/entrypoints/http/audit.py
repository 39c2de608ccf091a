"""감사 / Audit (seed §2 "감사 로그 ON"): search every service's audit log by actor, action, target and time, newest
first, a page at a time ("older" by keyset, application/audit_search.py); verify each service's chain."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from console_service.application.audit_search import search, verify_all
from console_service.domain.audit_search import SERVICES, AuditQuery, cursor_of, kst_input
from console_service.domain.paging import DEFAULT_PAGE_SIZE, PAGE_SIZES
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep

router = APIRouter()
Text = Annotated[str, Query(max_length=200)]


@router.get("/audit")
async def audit_search(request: Request, console: ConsoleDep, pages: PagesDep, service: Text = "",
                       actor: Text = "", action: Text = "", target: Text = "", since: Text = "", until: Text = "",
                       size: int = DEFAULT_PAGE_SIZE) -> Response:
    errors: dict[str, str] = {}
    times = {}
    for name, value in (("since", since), ("until", until)):
        try:
            times[name] = kst_input(value)
        except ValueError:
            errors[name] = pages.gettext("Not a date and time (for example 2026-12-24T20:00, KST).")
            times[name] = None
    query = AuditQuery(service if service in SERVICES else None, actor.strip(), action.strip(), target.strip(),
                       times["since"], times["until"])
    form = {"service": query.service or "", "actor": query.actor, "action": query.action, "target": query.target,
            "since": since, "until": until}
    size = size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE
    if errors:
        return pages.render(request, "pages/audit/search.html", status_code=422, form=form, errors=errors,
                            services=SERVICES, page=None, older=None, size=size)
    cursor = cursor_of(request.query_params)
    found = await run_in_threadpool(search, console.services(request), query, cursor, size)
    searched = {**{name: value for name, value in form.items() if value}, "size": size}
    older = None
    if found.merged.more:
        befores = {f"before_{s}": value for s, value in found.merged.cursor.items() if value is not None}
        older = "/audit?" + urlencode({**searched, **befores})
    return pages.render(request, "pages/audit/search.html", form=form, errors={}, services=SERVICES,
                        page=found, older=older, newest="/audit?" + urlencode(searched), size=size,
                        paged=any(v is not None for v in cursor.values()))


@router.get("/audit/verify")
async def audit_verify(request: Request, console: ConsoleDep, pages: PagesDep) -> Response:
    chains = await run_in_threadpool(verify_all, console.services(request), SERVICES)
    return pages.render(request, "pages/audit/verify.html", chains=chains)
