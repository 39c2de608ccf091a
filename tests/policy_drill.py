"""Steps of a policy drill against the running fleet (seed §8): propose, confirm, wait until every service
runs the version, go back. The fleet is shared, so each test returns the policy's content as it found it."""

import asyncio
from typing import Any

import httpx

from platform_deploy.services import Fleet
from tests.support import eventually, ok

SERVICES = ("policy", "lottery", "waitlist", "notifier")


def versions_reported(fleet: Fleet) -> dict[str, int]:
    return {name: httpx.get(f"{fleet[name].base_url}/health", timeout=10).json()["policy_version"]
            for name in SERVICES}


def every_service_runs(fleet: Fleet, version: int) -> dict[str, int]:
    return asyncio.run(eventually(lambda: asyncio.to_thread(versions_reported, fleet),
                                  lambda reported: set(reported.values()) == {version},
                                  timeout=30, what=f"every service on policy version {version}"))


def propose(policy: httpx.Client, patch: dict[str, Any], reason: str = "seed §8 drill", *,
            scope: list[str] | None = None) -> dict[str, Any]:
    proposal: dict[str, Any] = ok(policy.post("/policy/changes/prepare", json={
        "reason": reason, "impact_memo": "a drill", "patch": patch, "scope": scope}))
    return proposal


def change(fleet: Fleet, policy: httpx.Client, patch: dict[str, Any], *,
           scope: list[str] | None = None) -> dict[str, Any]:
    """Propose and confirm, then wait until every service runs the new version."""
    changed: dict[str, Any] = ok(policy.post("/policy/changes/confirm", json={
        "token": propose(policy, patch, scope=scope)["token"]}))
    every_service_runs(fleet, changed["version"])
    return changed


def roll_back_to(fleet: Fleet, policy: httpx.Client, version: int, reason: str = "drill over") -> dict[str, Any]:
    back = ok(policy.post(f"/policy/versions/{version}/rollback/prepare", json={"reason": reason}))
    restored: dict[str, Any] = ok(policy.post("/policy/rollback/confirm", json={"token": back["token"]}))
    every_service_runs(fleet, restored["version"])
    return restored
