"""데드레터 (seed §6.3 step 4: sample what the dead-letter queue holds, tag the cause; then redrive): every
service's dead letters by topic, group, exception, cause and time, one letter's sample (its payload as the service
shows it), a tag, and a redrive at a rate whose progress is polled until it is done, or cancelled."""

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from console_service.domain.paging import DEFAULT_PAGE_SIZE, PAGE_SIZES
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.notifications_common import kst_input, may
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.contracts.admin.models import ReasonIn
from platform_shared.contracts.admin.platform import RedriveIn, TagIn

router = APIRouter()
Service = Literal["lottery", "waitlist", "notifier", "policy"]
FILTERS = ("topic", "group", "exception_type", "cause", "since", "until")
MOST = 1000
"""The most letters one list call returns (GET /dead-letters `limit`): pages reach that far; filter for older."""
Text = Annotated[str, Form(max_length=200)]


def _selection(values: dict[str, str], ids: list[int] | None) -> dict[str, Any]:
    """The filters as the service takes them (instants typed in KST); ValueError for a time that is none."""
    chosen: dict[str, Any] = {name: values.get(name) or None for name in FILTERS}
    chosen["since"], chosen["until"] = kst_input(values.get("since")), kst_input(values.get("until"))
    return {**chosen, "ids": ids or None}


@router.get("/notifications/dead-letters")
def letters(request: Request, console: ConsoleDep, pages: PagesDep, service: Service = "notifier",
            topic: str = "", group: str = "", exception_type: str = "", cause: str = "", since: str = "",
            until: str = "", page: Annotated[int, Query(ge=1)] = 1, size: int = DEFAULT_PAGE_SIZE,
            done: str | None = None) -> Response:
    values = {"topic": topic, "group": group, "exception_type": exception_type, "cause": cause, "since": since,
              "until": until}
    size = size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE
    try:
        selection = {k: v for k, v in _selection(values, None).items() if k != "ids" and v is not None}
    except ValueError:
        return _list(request, console, pages, service, values, [], page, size, 422,
                     fields={"since": pages.gettext("Not a time: pick a date and a time (KST).")})
    client = console.services(request).service(service)
    offset = (page - 1) * size
    found = client.dead_letters(**{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in selection.items()},
                                limit=min(MOST, offset + size + 1))
    return _list(request, console, pages, service, values, found[offset:], page, size, done=done,
                 redrives=client.redrives())


def _list(request: Request, console: ConsoleDep, pages: Pages, service: str, values: dict[str, str],
          found: list[Any], page: int, size: int, status_code: int = 200, **context: Any) -> Response:
    return pages.render(request, "pages/notifications/letters.html", status_code=status_code, service=service,
                        values=values, letters=found[:size], more=len(found) > size, page_number=page, size=size,
                        may_act=may(request, console, "POST", "/notifications/dead-letters/{service}/redrive"),
                        fields=context.pop("fields", {}), redrives=context.pop("redrives", []), **context)


@router.get("/notifications/dead-letters/{service}/{letter_id}")
def letter(request: Request, console: ConsoleDep, pages: PagesDep, service: Service, letter_id: int) -> Response:
    found = console.services(request).service(service).dead_letter(letter_id)
    return pages.render(request, "pages/notifications/letter.html", service=service, letter=found,
                        may_act=may(request, console, "POST", "/notifications/dead-letters/{service}/redrive"))


@router.post("/notifications/dead-letters/{service}/tag")
def tag(request: Request, console: ConsoleDep, service: Service, tag: Text, topic: Text = "", group: Text = "",
        exception_type: Text = "", cause: Text = "", since: Text = "", until: Text = "",
        ids: Annotated[list[int] | None, Form()] = None) -> Response:
    values = {"topic": topic, "group": group, "exception_type": exception_type, "cause": cause, "since": since,
              "until": until}
    body = _body(TagIn, values, ids, tag=tag)
    tagged = act(console, request, lambda services: services.service(service).tag_letters(body))
    return RedirectResponse(f"/notifications/dead-letters?service={service}&cause={tag}&done=tagged:{tagged.tagged}",
                            status_code=303)


@router.post("/notifications/dead-letters/{service}/redrive")
def redrive(request: Request, console: ConsoleDep, service: Service, reason: Annotated[str, Form(max_length=1000)],
            rate_per_second: Annotated[float, Form(gt=0, le=1000)] = 10.0, topic: Text = "", group: Text = "",
            exception_type: Text = "", cause: Text = "", since: Text = "", until: Text = "",
            ids: Annotated[list[int] | None, Form()] = None) -> Response:
    values = {"topic": topic, "group": group, "exception_type": exception_type, "cause": cause, "since": since,
              "until": until}
    body = _body(RedriveIn, values, ids, reason=reason, rate_per_second=rate_per_second)
    started = act(console, request, lambda services: services.service(service).start_redrive(body))
    return RedirectResponse(f"/notifications/redrives/{service}/{started.id}", status_code=303)


def _body(model: type[Any], values: dict[str, str], ids: list[int] | None, **more: Any) -> Any:
    """The request body, or the form's field errors (errors.py shows them; nothing is sent)."""
    try:
        selection = _selection(values, ids)
        return model(**{k: v for k, v in selection.items() if v is not None}, **more)
    except ValidationError as error:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in error.errors()]) from error
    except ValueError as error:
        raise RequestValidationError([{"loc": ("body", "since"), "msg": "not a time (KST)"}]) from error


@router.get("/notifications/redrives/{service}/{redrive_id}")
def redrive_page(request: Request, console: ConsoleDep, pages: PagesDep, service: Service,
                 redrive_id: UUID) -> Response:
    found = console.services(request).service(service).redrive(str(redrive_id))
    return pages.render(request, "pages/notifications/redrive.html", service=service, redrive=found,
                        may_cancel=may(request, console, "POST",
                                       "/notifications/redrives/{service}/{redrive_id}/cancel"))


@router.get("/notifications/redrives/{service}/{redrive_id}/progress")
def progress(request: Request, console: ConsoleDep, pages: PagesDep, service: Service, redrive_id: UUID) -> Response:
    found = console.services(request).service(service).redrive(str(redrive_id))
    return pages.render(request, "pages/notifications/progress.html", service=service, redrive=found)


@router.post("/notifications/redrives/{service}/{redrive_id}/cancel")
def cancel(request: Request, console: ConsoleDep, service: Service, redrive_id: UUID,
           reason: Annotated[str, Form(max_length=1000)]) -> Response:
    act(console, request, lambda services: services.service(service).cancel_redrive(str(redrive_id),
                                                                                     ReasonIn(reason=reason)))
    return RedirectResponse(f"/notifications/redrives/{service}/{redrive_id}", status_code=303)
