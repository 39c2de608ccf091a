"""알림 / Notifications (seed §6.1–§6.3): the queue at a glance — whether sending is paused (first: a pause explains
every other figure), waiting, sent, failed, retrying, held, the top failure reasons, whether quiet hours hold
now — and pausing or resuming sending with a reason and an optional end time."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.notifications_common import kst_input, may
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.contracts.admin.models import ReasonIn
from platform_shared.contracts.admin.notifier import PauseIn

router = APIRouter()


@router.get("/notifications")
def dashboard(request: Request, console: ConsoleDep, pages: PagesDep) -> Response:
    return _dashboard(request, console, pages)


def _dashboard(request: Request, console: ConsoleDep, pages: Pages, status_code: int = 200,
               **context: Any) -> Response:
    figures = console.services(request).notifier.dashboard()
    return pages.render(request, "pages/notifications/dashboard.html", status_code=status_code, figures=figures,
                        may_pause=may(request, console, "POST", "/notifications/pause"),
                        fields=context.pop("fields", {}), **context)


@router.post("/notifications/pause")
def pause(request: Request, console: ConsoleDep, pages: PagesDep, reason: Annotated[str, Form(max_length=1000)],
          until: Annotated[str, Form(max_length=40)] = "") -> Response:
    try:
        ends = kst_input(until)
    except ValueError:
        return _dashboard(request, console, pages, 422, reason=reason, until=until,
                          fields={"until": pages.gettext("Not a time: pick a date and a time (KST).")})
    if ends is not None and ends <= console.clock.now():
        return _dashboard(request, console, pages, 422, reason=reason, until=until,
                          fields={"until": pages.gettext("The end must be later than now.")})
    if len(reason.strip()) < 3:
        return _dashboard(request, console, pages, 422, reason=reason, until=until,
                          fields={"reason": pages.gettext("Say why, in at least three characters.")})
    act(console, request, lambda services: services.notifier.pause_sending(PauseIn(reason=reason, paused_until=ends)))
    return RedirectResponse("/notifications", status_code=303)


@router.post("/notifications/resume")
def resume(request: Request, console: ConsoleDep, pages: PagesDep,
           reason: Annotated[str, Form(max_length=1000)]) -> Response:
    if len(reason.strip()) < 3:
        return _dashboard(request, console, pages, 422, resume_reason=reason,
                          fields={"resume_reason": pages.gettext("Say why, in at least three characters.")})
    act(console, request, lambda services: services.notifier.resume_sending(ReasonIn(reason=reason)))
    return RedirectResponse("/notifications", status_code=303)
