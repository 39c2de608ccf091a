"""대기자 / Waitlist (seed §4): offers per run with their state and deadline, promote now."""

from fastapi import APIRouter

router = APIRouter()
