"""Admin HTTP API of the notifier."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from notifier_service.queue import NotificationQueue


class NotificationOut(BaseModel):
    id: int
    dedupe_key: str
    user_id: str
    template: str
    campaign_id: str | None
    run_id: UUID | None
    status: str
    requested_at: datetime


def notifications_router(queue: NotificationQueue) -> APIRouter:
    router = APIRouter(tags=["notifications"])

    @router.get("/notifications")
    async def list_notifications(run_id: UUID | None = None,
                                 limit: int = Query(default=1000, ge=1, le=10_000)) -> list[NotificationOut]:
        """Stored notifications, oldest first, optionally of one draw run."""
        rows = await queue.list(run_id=run_id, limit=limit)
        return [NotificationOut.model_validate(row, from_attributes=True) for row in rows]

    return router
