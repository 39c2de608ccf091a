"""A control record the services did not sign changes nothing (SPEC §7, runbook §0): a forged policy snapshot
(`version=9999`, the AdGate bypass on) or a forged account state (every admin token void) produced straight to
the broker — unsigned, or signed with a key nobody published — is dead-lettered by every service that reads it,
with the reason, and the policy in force and the operators' logins are untouched."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest

from platform_deploy.scenario import admin_client
from platform_deploy.services import Fleet
from platform_shared.auth.record_signatures import RecordSigner, new_signing_key
from platform_shared.contracts import topics
from platform_shared.contracts.events import AdminAccountChanged, PolicyChanged
from platform_shared.contracts.policy import policy_defaults
from platform_shared.contracts.records import event_headers
from tests.support import eventually, fetch, producer

pytestmark = pytest.mark.integration

T = TypeVar("T")
READERS = ("lottery", "waitlist", "notifier")
"""The services that keep the policy in their own database (the policy service writes it)."""


def forged_policy(version: int) -> PolicyChanged:
    return PolicyChanged(occurred_at=datetime.now(UTC), version=version,
                         policy=policy_defaults().model_copy(update={"adgate_global_bypass": True}))


async def send_forged(fleet: Fleet, topic: str, key: bytes, value: bytes, headers: dict[str, str]) -> None:
    async with producer(fleet.infrastructure) as send:
        await send(topic, value, key=key, headers=[(name, text.encode()) for name, text in headers.items()])


def letters(fleet: Fleet, service: str, topic: str) -> list[dict[str, object]]:
    with admin_client(fleet[service].base_url, fleet.operator()) as admin:
        answer = admin.get("/dead-letters", params={"topic": topic, "limit": 1000})
        answer.raise_for_status()
        found: list[dict[str, object]] = answer.json()
    return found


async def policy_versions(fleet: Fleet) -> dict[str, int]:
    versions = {}
    for service in READERS:
        rows = await fetch(fleet.infrastructure.database_urls[service], "SELECT max(version) AS v FROM policy_snapshot")
        versions[service] = rows[0]["v"]
    return versions


@pytest.mark.parametrize("signed_by", ["nobody", "a key nobody published"])
async def test_a_forged_policy_snapshot_is_dead_lettered_by_every_service_and_applies_nowhere(
        fleet: Fleet, signed_by: str) -> None:
    before = await policy_versions(fleet)
    event = forged_policy(9999)
    value = event.model_dump_json().encode()
    headers = event_headers(str(event.event_id), "PolicyChanged")
    if signed_by != "nobody":
        headers |= RecordSigner.from_base64("policy", new_signing_key()[0]).headers(topics.POLICY_CHANGED,
                                                                                  b"policy", value)
    await send_forged(fleet, topics.POLICY_CHANGED, b"policy", value, headers)

    def refused_everywhere() -> dict[str, list[str]]:
        return {service: [str(letter["exception_message"]) for letter in letters(fleet, service, topics.POLICY_CHANGED)
                          if str(event.event_id) in str(letter["payload"])] for service in READERS}

    refused = await eventually(lambda: _in_thread(refused_everywhere), lambda seen: all(seen.values()),
                               timeout=30, what="the forged snapshot dead-lettered by every reader")
    reason = "unsigned record" if signed_by == "nobody" else "does not match"
    assert all(reason in messages[0] for messages in refused.values()), refused
    assert await policy_versions(fleet) == before, "nothing applied"


async def test_a_forged_account_state_voids_no_login(fleet: Fleet) -> None:
    """Unsigned: every admin token issued before next year would be void, if it were believed."""
    event = AdminAccountChanged(occurred_at=datetime.now(UTC), account="admin", role="admin",
                                tokens_valid_after=datetime.now(UTC) + timedelta(days=365))
    await send_forged(fleet, topics.ADMIN_ACCOUNTS, b"admin", event.model_dump_json().encode(),
                      event_headers(str(event.event_id), "AdminAccountChanged"))

    def refused_by(service: str) -> bool:
        return any(str(event.event_id) in str(letter["payload"]) and letter["consumer_group"] ==
                   f"{service}.{topics.ADMIN_ACCOUNTS}" for letter in letters(fleet, service, topics.ADMIN_ACCOUNTS))

    await eventually(lambda: _in_thread(lambda: all(refused_by(service) for service in fleet.services)),
                     lambda done: done, timeout=30, what="the forged account state dead-lettered by every service")
    for service in fleet.services:
        with admin_client(fleet[service].base_url, fleet.operator()) as admin:
            assert admin.get("/consumers").status_code == 200, f"{service}: the admin's login goes on"


async def _in_thread(work: Callable[[], T]) -> T:
    return await asyncio.to_thread(work)
