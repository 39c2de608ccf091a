"""Admin HTTP API of the policy service."""

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from platform_shared.contracts.policy import PolicyDocument
from policy_service.policies import PolicyService


class PolicyOut(BaseModel):
    version: int
    document: PolicyDocument
    created_by: str
    reason: str
    created_at: datetime


def policy_router(policies: PolicyService) -> APIRouter:
    router = APIRouter(tags=["policy"])

    @router.get("/policy")
    async def current_policy() -> PolicyOut:
        """The policy version in force."""
        return PolicyOut.model_validate(await policies.current(), from_attributes=True)

    return router
