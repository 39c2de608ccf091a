"""Admin HTTP API of the notifier: the queue (runbook §6.1), pause/resume (§6.3), templates (§6.3), resend
(§6.4). Each route validates, calls one use case, and answers its contract model."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from notifier_service.application.dashboard import Dashboard
from notifier_service.application.fix_template import FixTemplate
from notifier_service.application.pause_sending import PauseSending
from notifier_service.application.queries import NotificationQueries
from notifier_service.application.resend import ResendSegment
from notifier_service.domain.delivery import Status
from notifier_service.domain.resend import Segment
from notifier_service.domain.template_preview import preview_template, sample_params
from platform_shared.contracts.admin.models import ReasonIn, TokenIn
from platform_shared.contracts.admin.notifier import (
    DashboardOut,
    NotificationOut,
    NotificationTextOut,
    PauseIn,
    ResendIn,
    ResendPreparedOut,
    ResentOut,
    SenderStateOut,
    TemplateIn,
    TemplateOut,
    TemplatePreviewIn,
    TemplatePreviewOut,
)
from platform_shared.contracts.events import MessageLocale, TemplateName
from platform_shared.web.access import AdminId
from platform_shared.web.use_cases import use_case

Queries = Annotated[NotificationQueries, use_case(NotificationQueries)]
Dashboards = Annotated[Dashboard, use_case(Dashboard)]
Pausing = Annotated[PauseSending, use_case(PauseSending)]
Templates = Annotated[FixTemplate, use_case(FixTemplate)]
Resending = Annotated[ResendSegment, use_case(ResendSegment)]

router = APIRouter(tags=["notifications"])


@router.get("/notifications")
async def list_notifications(queries: Queries, run_id: UUID | None = None, status: Status | None = None,
                             template: TemplateName | None = None,
                             limit: int = Query(default=1000, ge=1, le=10_000)) -> list[NotificationOut]:
    """Stored notifications in arrival order, optionally of one draw run, status or template."""
    return [NotificationOut.model_validate(n) for n in await queries.list(run_id, status, limit, template)]


@router.get("/notifications/texts")
async def notification_texts(queries: Queries, run_id: UUID | None = None, status: Status | None = None,
                             template: TemplateName | None = None,
                             limit: int = Query(default=1000, ge=1, le=10_000)) -> list[NotificationTextOut]:
    """The same notifications with the words each says under its template as it is now; an offer's answer
    link is made at send time and never stored, so it shows as its placeholder."""
    return [NotificationTextOut.model_validate({**NotificationOut.model_validate(n).model_dump(), "text": text})
            for n, text in await queries.texts(run_id, status, limit, template)]


@router.get("/dashboard")
async def dashboard_data(dashboard: Dashboards) -> DashboardOut:
    """Counts by status, top failure reasons, enqueue success rate, quiet-hours violations, backlog."""
    return DashboardOut.model_validate(await dashboard.snapshot())


@router.get("/sending")
async def sender_state(pause: Pausing) -> SenderStateOut:
    return SenderStateOut.model_validate(await pause.sender_state())


@router.post("/sending/pause")
async def pause_sending(body: PauseIn, admin: AdminId, pause: Pausing) -> SenderStateOut:
    """Stop sending (intake goes on, nothing is lost); survives restarts; optional end time."""
    return SenderStateOut.model_validate(await pause.pause(admin, body.reason, body.paused_until))


@router.post("/sending/resume")
async def resume_sending(body: ReasonIn, admin: AdminId, pause: Pausing) -> SenderStateOut:
    return SenderStateOut.model_validate(await pause.resume(admin, body.reason))


@router.get("/templates")
async def list_templates(templates: Templates) -> list[TemplateOut]:
    return [TemplateOut.model_validate(t) for t in await templates.templates()]


@router.put("/templates/{name}")
async def update_template(name: TemplateName, body: TemplateIn, admin: AdminId, templates: Templates,
                          locale: MessageLocale = "ko") -> TemplateOut:
    """Fix a template in one language (Korean unless `?locale=en`), audited; then resend what failed on it."""
    return TemplateOut.model_validate(await templates.update_template(name, body.body, admin, body.reason, locale))


@router.post("/templates/{name}/preview")
async def preview(name: TemplateName, body: TemplatePreviewIn) -> TemplatePreviewOut:
    """A body as its messages would read (the send's own rules; the values given, else sample ones); a
    placeholder no message of the template carries is refused by field (`body`). Nothing is stored."""
    return TemplatePreviewOut(text=preview_template(name, body.body, body.locale, body.params),
                              params={**sample_params(name), **(body.params or {})})


@router.post("/notifications/resend/prepare")
async def prepare_resend(body: ResendIn, admin: AdminId, resend: Resending) -> ResendPreparedOut:
    """Step one: how many notifications the segment holds (never any already sent), and a token."""
    segment = Segment(statuses=tuple(body.statuses), template=body.template, campaign_id=body.campaign_id,
                      run_id=str(body.run_id) if body.run_id else None, received_from=body.received_from,
                      received_to=body.received_to)
    return ResendPreparedOut.model_validate(await resend.prepare_resend(segment, admin, body.reason))


@router.post("/notifications/resend/confirm")
async def confirm_resend(body: TokenIn, admin: AdminId, resend: Resending) -> ResentOut:
    """Step two: queue them again (audited). The same token twice queues once."""
    return ResentOut.model_validate(await resend.confirm_resend(body.token, admin))
