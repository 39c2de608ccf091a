"""Admin HTTP API of the notifier: the queue, dashboard, pause/resume, templates, resend."""

from uuid import UUID

from fastapi import APIRouter, Query

from notifier_service.dashboard import Dashboard
from notifier_service.domain.delivery import Status
from notifier_service.domain.resend import Segment
from notifier_service.operations import NotifierOperations
from notifier_service.queries import NotificationQueries
from platform_shared.contracts.admin.models import ReasonIn, TokenIn
from platform_shared.contracts.admin.notifier import (
    DashboardOut,
    NotificationOut,
    PauseIn,
    ResendIn,
    ResendPreparedOut,
    ResentOut,
    SenderStateOut,
    TemplateIn,
    TemplateOut,
)
from platform_shared.contracts.events import TemplateName
from platform_shared.web.access import AdminId


def notifier_router(queries: NotificationQueries, dashboard: Dashboard, ops: NotifierOperations) -> APIRouter:
    router = APIRouter(tags=["notifications"])

    @router.get("/notifications")
    async def list_notifications(run_id: UUID | None = None, status: Status | None = None,
                                 limit: int = Query(default=1000, ge=1, le=10_000)) -> list[NotificationOut]:
        """Stored notifications in arrival order, optionally of one draw run or status."""
        return [NotificationOut.model_validate(n) for n in await queries.list(run_id, status, limit)]

    @router.get("/dashboard")
    async def dashboard_data() -> DashboardOut:
        """Counts by status, top failure reasons, enqueue success rate, quiet-hours violations, backlog."""
        return DashboardOut.model_validate(await dashboard.snapshot())

    @router.get("/sending")
    async def sender_state() -> SenderStateOut:
        return SenderStateOut.model_validate(await ops.sender_state())

    @router.post("/sending/pause")
    async def pause_sending(body: PauseIn, admin: AdminId) -> SenderStateOut:
        """Stop sending (intake goes on, nothing is lost); survives restarts; optional end time."""
        return SenderStateOut.model_validate(await ops.pause(admin, body.reason, body.paused_until))

    @router.post("/sending/resume")
    async def resume_sending(body: ReasonIn, admin: AdminId) -> SenderStateOut:
        return SenderStateOut.model_validate(await ops.resume(admin, body.reason))

    @router.get("/templates")
    async def list_templates() -> list[TemplateOut]:
        return [TemplateOut.model_validate(t) for t in await ops.templates()]

    @router.put("/templates/{name}")
    async def update_template(name: TemplateName, body: TemplateIn, admin: AdminId) -> TemplateOut:
        """Fix a template (audited); then resend what failed on it."""
        return TemplateOut.model_validate(await ops.update_template(name, body.body, admin, body.reason))

    @router.post("/notifications/resend/prepare")
    async def prepare_resend(body: ResendIn, admin: AdminId) -> ResendPreparedOut:
        """Step one: how many notifications the segment holds (never any already sent), and a token."""
        segment = Segment(statuses=tuple(body.statuses), template=body.template, campaign_id=body.campaign_id,
                          run_id=str(body.run_id) if body.run_id else None, received_from=body.received_from,
                          received_to=body.received_to)
        return ResendPreparedOut.model_validate(await ops.prepare_resend(segment, admin, body.reason))

    @router.post("/notifications/resend/confirm")
    async def confirm_resend(body: TokenIn, admin: AdminId) -> ResentOut:
        """Step two: queue them again (audited). The same token twice queues once."""
        return ResentOut.model_validate(await ops.confirm_resend(body.token, admin))

    return router
