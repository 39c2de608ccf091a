"""감사 / Audit (seed §2): search every service's audit log, verify each chain."""

from fastapi import APIRouter

router = APIRouter()
