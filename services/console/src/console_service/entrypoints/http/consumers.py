"""컨슈머 / Consumers: every group of every service, its lag, paused or not; pause/resume fleet-wide."""

from fastapi import APIRouter

router = APIRouter()
