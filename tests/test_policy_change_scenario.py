"""A policy change and its rollback, through the use cases (policy_service/application/change_policy.py,
rollback_policy.py): propose → confirm is a new version, published and audited; the same token again answers
the same version and acts once; a proposal overtaken by another version is refused; a rollback to version 1 is
a new version equal to it; history and diffs read them back. One scenario, run twice: in memory
(tests/memory_units.py, memory_policy.py) and on a PostgreSQL database of its own. The outcomes are read from
state: versions, published events, audit log."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Protocol

import pytest

from platform_deploy.infra import Infrastructure
from platform_shared.contracts import topics
from platform_shared.contracts.events import PolicyChanged
from platform_shared.contracts.policy import policy_defaults
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.errors import ConflictError, NotFoundError
from platform_shared.time.clock import KST, FixedClock
from policy_service.application.policy_changes import PolicyChanges, sql_units
from policy_service.application.policy_in_force import PolicyService
from policy_service.domain.changes import FieldChange
from policy_service.main import MIGRATIONS
from tests.memory_policy import PolicyState, memory_policy_changes
from tests.support import fetch, fresh_database

Versions = list[tuple[int, int | None, int | None]]
"""(version, proposed_against, restored_from), oldest first"""
Audit = list[tuple[str, str, str]]
"""(actor, action, target), in order"""

NOW = datetime(2031, 3, 3, 10, 0, tzinfo=KST)


class PolicyWorld(Protocol):
    changes: PolicyChanges

    async def versions(self) -> Versions: ...

    async def announced(self) -> list[int]:
        """The versions published on `policy_changed`, in order."""
        ...

    async def audited(self) -> Audit: ...


async def scenario(world: PolicyWorld) -> None:
    changes, defaults = world.changes, policy_defaults()
    cap, interval = defaults.weight_cap, defaults.promotion_interval_minutes
    assert await world.versions() == [(1, None, None)]

    proposal = await changes.propose("kim", "heavy entrants dominate", "caps fall", values=None,
                                     patch={"weight_cap": cap - 1})
    assert proposal["proposed_against"] == 1
    assert proposal["changes"] == [{"path": "weight_cap", "before": cap, "after": cap - 1}]
    changed = await changes.confirm(proposal["token"], "lee")
    again = await changes.confirm(proposal["token"], "lee")
    assert (changed.version.version, changed.version.created_by) == (2, "lee")
    assert again.version.version == 2, "the same token twice is one version"
    assert await world.versions() == [(1, None, None), (2, 1, None)]
    assert await world.announced() == [1, 2]
    assert await world.audited() == [("kim", "policy.change.prepare", "policy"), ("lee", "policy.change", "policy:v2")]

    first = await changes.propose("kim", "slower passes", "", values=None,
                                  patch={"promotion_interval_minutes": interval + 1})
    second = await changes.propose("park", "faster passes", "", values=None,
                                   patch={"promotion_interval_minutes": interval - 1})
    assert (await changes.confirm(first["token"], "lee")).version.version == 3
    with pytest.raises(ConflictError, match="proposed against version 2"):
        await changes.confirm(second["token"], "lee")
    assert await world.versions() == [(1, None, None), (2, 1, None), (3, 2, None)], "no silent overwrite"

    back = await changes.prepare_rollback(1, "kim", "drill over")
    assert back["restored_from"] == 1
    assert {change["path"] for change in back["changes"]} == {"weight_cap", "promotion_interval_minutes"}
    with pytest.raises(NotFoundError):
        await changes.confirm(back["token"], "lee")  # a rollback's token confirms a rollback only
    restored = await changes.confirm(back["token"], "lee", rollback=True)
    assert (restored.version.version, restored.version.restored_from) == (4, 1)
    assert restored.version.document == defaults.model_dump(mode="json")
    assert await world.versions() == [(1, None, None), (2, 1, None), (3, 2, None), (4, 3, 1)]
    assert await world.announced() == [1, 2, 3, 4]
    assert (await world.audited())[2:] == [
        ("kim", "policy.change.prepare", "policy"), ("park", "policy.change.prepare", "policy"),
        ("lee", "policy.change", "policy:v3"),
        ("kim", "policy.rollback.prepare", "policy"), ("lee", "policy.rollback", "policy:v4")]

    history = await changes.history()
    assert [(version.version, changed_fields) for version, changed_fields in history][:2] == [
        (1, []), (2, [FieldChange("weight_cap", cap, cap - 1)])]
    assert [version.version for version, _ in history] == [1, 2, 3, 4]
    assert await changes.compare(1, 4) == []
    assert await changes.compare(2, 3) == [FieldChange("promotion_interval_minutes", interval, interval + 1)]


async def test_a_policy_change_and_its_rollback_in_memory() -> None:
    changes, state = memory_policy_changes(FixedClock(NOW))
    await scenario(MemoryPolicy(changes, state))


@pytest.mark.integration
async def test_a_policy_change_and_its_rollback_on_postgresql(infrastructure: Infrastructure) -> None:
    async with SqlPolicy.running(infrastructure) as world:
        await scenario(world)


class MemoryPolicy:
    def __init__(self, changes: PolicyChanges, state: PolicyState) -> None:
        self.changes, self._state = changes, state

    async def versions(self) -> Versions:
        return [(v.version, v.proposed_against, v.restored_from) for v in sorted(self._state.versions,
                                                                                 key=lambda v: v.version)]

    async def announced(self) -> list[int]:
        return [event.version for topic, event in self._state.published
                if topic == topics.POLICY_CHANGED and isinstance(event, PolicyChanged)]

    async def audited(self) -> Audit:
        return [(record.actor, record.action, record.target) for record in self._state.audited]


class SqlPolicy:
    """The use case on its own PostgreSQL database (no service runs on it, so nothing leaves its outbox)."""

    def __init__(self, changes: PolicyChanges, database: str) -> None:
        self.changes, self._database = changes, database

    @classmethod
    @asynccontextmanager
    async def running(cls, infrastructure: Infrastructure) -> AsyncIterator["SqlPolicy"]:
        clock = FixedClock(NOW)
        async with fresh_database(infrastructure, MIGRATIONS, like="policy") as database:
            engine = create_engine(database)
            try:
                sessions = session_factory(engine)
                await PolicyService(sessions, clock).publish_defaults_if_empty()
                yield cls(PolicyChanges(sql_units(sessions, clock)), database)
            finally:
                await engine.dispose()

    async def versions(self) -> Versions:
        rows = await fetch(self._database, "SELECT version, proposed_against, restored_from FROM policy_versions"
                                           " ORDER BY version")
        return [(r["version"], r["proposed_against"], r["restored_from"]) for r in rows]

    async def announced(self) -> list[int]:
        rows = await fetch(self._database, "SELECT payload FROM outbox_messages WHERE topic = $1 ORDER BY id",
                           topics.POLICY_CHANGED)
        return [json.loads(r["payload"])["version"] for r in rows]

    async def audited(self) -> Audit:
        return [(r["actor"], r["action"], r["target"])
                for r in await fetch(self._database, "SELECT actor, action, target FROM audit_log ORDER BY id")]
