"""알림 / Notifications (seed §6): the dashboard, pause/resume, templates, resend by segment, dead letters."""

from fastapi import APIRouter

router = APIRouter()
