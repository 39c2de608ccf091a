"""컨슈머 / Consumers: every consumer group of every service — its topic, its lag, paused or running, by whom
and until when — and the lever of seed §6 (hold intake in Kafka): pause a group on every replica of its
service with a reason and an end time (it lifts itself then), resume it; both sensitive (a fresh code)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from console_service.adapters.services import SERVICE_NAMES
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.policies import may
from console_service.entrypoints.http.policies_form import validated
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import Refused, ServiceFailed, Unreachable
from platform_shared.contracts.admin.platform import ConsumerOut, PauseIn, ResumeIn
from platform_shared.time.clock import KST

router = APIRouter()
Text = Annotated[str, Form(max_length=1000)]


@dataclass(frozen=True)
class ServiceGroups:
    service: str
    groups: list[ConsumerOut]
    unavailable: bool = False
    """The service did not answer: said so, the other services still shown."""


def fleet_groups(request: Request, console: Console) -> list[ServiceGroups]:
    services = console.services(request)
    found = []
    for name in SERVICE_NAMES:
        try:
            found.append(ServiceGroups(name, services.service(name).consumers()))
        except (Unreachable, ServiceFailed):
            found.append(ServiceGroups(name, [], unavailable=True))
    return found


@router.get("/consumers")
def consumers(request: Request, console: ConsoleDep, pages: PagesDep) -> Response:
    return _page(request, console, pages)


def _page(request: Request, console: Console, pages: Pages, *, status: int = 200, form: str = "",
          values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
          message: str = "") -> Response:
    return pages.render(request, "pages/consumers/index.html", status_code=status,
                        fleet=fleet_groups(request, console), form=form, values=values or {},
                        errors=errors or {}, message=message, other_errors={},
                        may_pause=may(console, request, "POST", "/consumers/pause"),
                        done=request.query_params.get("done"))


def _target(target: str) -> tuple[str, str]:
    service, _, group = target.partition("|")
    return service, group


def _until(text: str) -> datetime | str | None:
    """A `datetime-local` field read as KST (the console's zone, named beside the field)."""
    if not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=KST)
    except ValueError:
        return text  # refused by field below


@router.post("/consumers/pause")
def pause(request: Request, console: ConsoleDep, pages: PagesDep,
          target: Annotated[str, Form(max_length=300)], reason: Text, until: Text = "") -> Response:
    values = {"target": target, "reason": reason, "until": until}
    service, group = _target(target)
    body, errors = validated(PauseIn, groups=[group], reason=reason, until=_until(until))
    return _send(request, console, pages, "pause", values, service, body, errors)


@router.post("/consumers/resume")
def resume(request: Request, console: ConsoleDep, pages: PagesDep,
           target: Annotated[str, Form(max_length=300)], reason: Text) -> Response:
    values = {"target": target, "reason": reason}
    service, group = _target(target)
    body, errors = validated(ResumeIn, groups=[group], reason=reason)
    return _send(request, console, pages, "resume", values, service, body, errors)


def _send(request: Request, console: Console, pages: Pages, form: str, values: dict[str, str], service: str,
          body: PauseIn | ResumeIn | None, errors: dict[str, str]) -> Response:
    """Pause or resume on the group's service (every replica follows); the page again, or the refusal by field."""
    message = ""
    if service not in SERVICE_NAMES:
        errors = {"target": pages.gettext("Choose a consumer group from the list.")}
    elif body is not None:
        try:
            act(console, request, lambda services: (
                services.service(service).pause_consumers(body) if isinstance(body, PauseIn)
                else services.service(service).resume_consumers(body)))
            return RedirectResponse(f"/consumers?done={form}", status_code=303)
        except Refused as refusal:
            message, errors = refusal.message, refusal.fields
    at_field = {name.split(".")[0].replace("groups", "target"): problem for name, problem in errors.items()}
    return _page(request, console, pages, status=422, form=form, values=values, errors=at_field, message=message)
