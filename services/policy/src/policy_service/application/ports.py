"""The stores the policy's use cases need, as Protocols: `adapters/` keeps them in PostgreSQL, the unit tier
in memory (tests/memory_policy.py)."""

from collections.abc import Sequence
from typing import Protocol

from platform_shared.contracts.events import PolicyChanged
from policy_service.adapters.models import PolicyVersion


class VersionStore(Protocol):
    """Policy versions. New versions are written one at a time (`lock`), so version numbers never collide and
    a confirmation sees the version really in force (seed §8.2)."""

    async def lock(self) -> None:
        """Hold the right to write the next version until the unit of work ends."""
        ...

    async def latest(self) -> PolicyVersion | None: ...

    async def get(self, version: int) -> PolicyVersion | None: ...

    async def all(self) -> Sequence[PolicyVersion]:
        """Oldest first."""
        ...

    async def add(self, version: PolicyVersion, announcement: PolicyChanged) -> None:
        """The version and its full snapshot on `policy_changed`, which goes out only if the unit commits."""
        ...
