"""Seed §10 over HTTP: a lost device's 2FA reset, asked by the holder and approved by a different PM."""

from typing import Annotated

from fastapi import APIRouter, status

from platform_shared.contracts.admin.identity import (
    EnrolIn,
    EnrolmentOut,
    ResetOut,
    ResetRequestedOut,
    ResetRequestIn,
)
from platform_shared.contracts.admin.models import ReasonIn
from platform_shared.web.access import Caller
from platform_shared.web.use_cases import use_case
from policy_service.application.resets import ResetService

Resets = Annotated[ResetService, use_case(ResetService)]

router = APIRouter(prefix="/auth/2fa-resets", tags=["identity"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def request_reset(body: ResetRequestIn, resets: Resets) -> ResetRequestedOut:
    """The holder asks, with their password (the lost device was the second factor)."""
    return ResetRequestedOut(request_id=await resets.request(body.account, body.password, body.reason))


@router.get("")
async def open_requests(resets: Resets) -> list[ResetOut]:
    return [ResetOut.model_validate(r, from_attributes=True) for r in await resets.open_requests()]


@router.post("/{request_id}/approve")
async def approve(request_id: str, body: ReasonIn, caller: Caller, resets: Resets) -> ResetOut:
    """A PM other than the holder approves with a fresh second factor: the old secret, backup codes and
    every login of the account stop working."""
    return ResetOut.model_validate(await resets.approve(request_id, caller, body.reason), from_attributes=True)


@router.post("/{request_id}/enrol")
async def enrol(request_id: str, body: EnrolIn, resets: Resets) -> EnrolmentOut:
    """The holder takes the new TOTP secret (as a provisioning URI) and backup codes, once."""
    enrolment = await resets.enrol(request_id, body.account, body.password)
    return EnrolmentOut(provisioning_uri=enrolment.provisioning_uri, backup_codes=enrolment.backup_codes)
