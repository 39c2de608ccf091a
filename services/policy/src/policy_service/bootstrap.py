"""Composition root of the policy service."""

from fastapi import FastAPI

from platform_shared.contracts import topics
from platform_shared.contracts.events import PolicyChanged
from platform_shared.service.runtime import ServiceRuntime
from policy_service.api import policy_router
from policy_service.policies import PolicyService
from policy_service.settings import PolicySettings


def build_app(settings: PolicySettings) -> FastAPI:
    runtime = ServiceRuntime.create("policy", settings)
    policies = PolicyService(runtime.sessions, runtime.clock)
    # Policy reads its own topic too, so /health shows the version every consumer actually received.
    runtime.consume_policy()
    runtime.publishes(topics.POLICY_CHANGED, PolicyChanged)
    return runtime.build_app([policy_router(policies)], on_start=[policies.publish_defaults_if_empty])
