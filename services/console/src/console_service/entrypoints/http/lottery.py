"""추첨 / Lottery (seed §3, §11): the draw list with its §7.3 review flags, creating a draw, one draw's page
(its facts, runs and the actions its status allows) and its weight histogram as a picture. The actions on a
draw are in lottery_entries.py (§3.1, §11) and lottery_runs.py (§3.2–§3.5)."""

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from console_service.adapters.lottery_pages import draw_rows, runs_of
from console_service.domain.draw_words import log_kind_name, status_name
from console_service.domain.paging import Page
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.lottery_requests import DrawIn

router = APIRouter()
DRAW_PAGE = "/lottery/draws/{campaign_id}"
UNKNOWN_TOTAL = 10**12
"""The total before the first answer tells it: the page asked for is read, then corrected if past the end."""
CREATE_FIELDS = ("campaign_id", "display_name", "seats", "waitlist_size", "draw_at", "weight_cap", "cooldown_hours",
                 "intro")


def may(console: Console, request: Request, method: str, path: str) -> bool:
    """Whether the session's role may take this console route: an action it may not is not offered."""
    return bool(request.state.session and request.state.session.may(console.table[(method, path)]))


@router.get("/lottery")
def draws(request: Request, console: ConsoleDep, pages: PagesDep, page: int = 1, size: int = 50) -> Response:
    return _list(console, request, pages, page, size)


def _list(console: Console, request: Request, pages: Pages, page: int, size: int, status_code: int = 200,
          **form: Any) -> Response:
    lottery = console.services(request).lottery
    asked = Page.of(page, size, UNKNOWN_TOTAL)
    found = draw_rows(lottery, asked.offset, asked.size)
    chosen = Page.of(page, size, found.total)
    if chosen.offset != asked.offset:  # past the end: the last page
        found = draw_rows(lottery, chosen.offset, chosen.size)
    return pages.render(request, "pages/lottery/list.html", status_code=status_code, draws=found.rows, page=chosen,
                        status_name=status_name,
                        may_create=may(console, request, "POST", "/lottery/draws"),
                        errors=form.pop("errors", {}), values=form.pop("values", {}), **form)


@router.post("/lottery/draws")
def create_draw(request: Request, console: ConsoleDep, pages: PagesDep) -> Response:
    """Field errors next to their fields, whether this console or the service found them; nothing is created."""
    values = {name: str(request.state.form.get(name) or "").strip() for name in CREATE_FIELDS}
    flags = {name: request.state.form.get(name) == "on" for name in ("requires_intro", "requires_adgate")}
    chosen = {name: value for name, value in values.items() if value}
    if "draw_at" in chosen and len(chosen["draw_at"]) == 16:  # <input type=datetime-local> is KST on this page
        chosen["draw_at"] += ":00+09:00"
    try:
        body = DrawIn.model_validate({**chosen, **flags})
        act(console, request, lambda services: services.lottery.create_draw(body))
    except ValidationError as error:
        fields = {str(e["loc"][0]) if e["loc"] else "campaign_id": e["msg"] for e in error.errors()}
        return _list(console, request, pages, 1, 50, 422, errors=fields, values={**values, **flags})
    except Refused as refusal:
        return _list(console, request, pages, 1, 50, refusal.status, refused=refusal.message,
                     errors=refusal.fields or {}, values={**values, **flags})
    return RedirectResponse(DRAW_PAGE.format(campaign_id=body.campaign_id), status_code=303)


@router.get(DRAW_PAGE)
async def draw(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    return await run_in_threadpool(draw_page, console, request, pages, campaign_id)


def draw_page(console: Console, request: Request, pages: Pages, campaign_id: str, status_code: int = 200,
              **extra: Any) -> Response:
    """The draw's page, with what an action just answered (`extra`: a checklist, a dry run, a dialog, errors).
    Rendered by a POST too: htmx then shows the draw's own address."""
    lottery = console.services(request).lottery
    found = lottery.draw(campaign_id)
    base = DRAW_PAGE.format(campaign_id=campaign_id)
    allowed = {name: may(console, request, "POST", f"{DRAW_PAGE}/{name}")
               for name in ("entries", "close", "precheck", "dry-run", "run/prepare", "places", "places/confirm",
                            "reopen/prepare", "duplicates", "recalculate/prepare")}
    allowed["entry_list"] = may(console, request, "GET", f"{DRAW_PAGE}/entries")
    headers = {"HX-Push-Url": base} if request.method == "POST" else None
    # Public from the close on (docs/draw-algorithm.md §8.3, §8.5): what an outsider sees, shown here too.
    commitment = lottery.commitment(campaign_id) if found.status != "open" else None
    # A second operator reads what they would approve (seed §3.5): the corrections other operators asked for.
    waiting = lottery.places_requests(campaign_id) if found.status != "open" and allowed["places/confirm"] else []
    return pages.render(request, "pages/lottery/draw.html", status_code=status_code, headers=headers, draw=found,
                        base=base, runs=runs_of(lottery, campaign_id), allowed=allowed, status_name=status_name,
                        commitment=commitment, log_kind_name=log_kind_name, places_requests=waiting,
                        errors=extra.pop("errors", {}),
                        **extra)


def form_text(request: Request, name: str) -> str:
    """A form field's text, trimmed ("" when absent or a file)."""
    value = request.state.form.get(name)
    return value.strip() if isinstance(value, str) else ""


def confirm_dialog(title: str, facts: list[tuple[str, str]], action: str, token: str, button: str,
                   **more: object) -> dict[str, object]:
    """A two-step action's confirmation (seed §2 "confirmed twice"): what will happen, then one button."""
    return {"title": title, "facts": facts, "action": action, "token": token, "button": button, **more}


@router.get(f"{DRAW_PAGE}/weights.svg")
def weights_picture(request: Request, console: ConsoleDep, campaign_id: str) -> Response:
    """The service's picture of the weight histogram (seed §3.2), served from this origin for the page's CSP."""
    picture = console.services(request).lottery.weights_picture(campaign_id)
    return Response(picture, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


