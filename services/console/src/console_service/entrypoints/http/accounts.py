"""계정 / Accounts (seed §10): 2FA resets asked, approved by another, enrolled; backup codes."""

from fastapi import APIRouter

router = APIRouter()
