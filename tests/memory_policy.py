"""The policy's versions kept in memory, for the unit tier: `MemoryVersionStore` keeps the contract of
`VersionStore` (policy_service/application/ports.py) in a list, on a `Ledger` (tests/memory_units.py),
so `PolicyChanges` runs unchanged on it."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from platform_shared.contracts import topics
from platform_shared.contracts.events import PolicyChanged
from platform_shared.contracts.policy import policy_defaults
from platform_shared.time.clock import Clock
from policy_service.adapters.models import PolicyVersion
from policy_service.application.policy_changes import PolicyChanges
from policy_service.application.ports import VersionStore
from tests.memory_units import Ledger, MemoryUnitsOfWork


@dataclass
class PolicyState(Ledger):
    versions: list[PolicyVersion] = field(default_factory=list)


class MemoryVersionStore:
    def __init__(self, state: PolicyState) -> None:
        self._state = state

    async def lock(self) -> None:
        """Nothing to do: memory units run one at a time."""

    async def latest(self) -> PolicyVersion | None:
        return max(self._state.versions, key=lambda v: v.version, default=None)

    async def get(self, version: int) -> PolicyVersion | None:
        return next((v for v in self._state.versions if v.version == version), None)

    async def all(self) -> Sequence[PolicyVersion]:
        return sorted(self._state.versions, key=lambda v: v.version)

    async def add(self, version: PolicyVersion, announcement: PolicyChanged) -> None:
        # The version number is the table's primary key.
        assert await self.get(version.version) is None, f"policy version {version.version} exists already"
        self._state.versions.append(version)
        self._state.published.append((topics.POLICY_CHANGED, announcement))


_IS_A_VERSION_STORE: type[VersionStore] = MemoryVersionStore  # mypy proves it keeps the contract


def memory_policy_changes(clock: Clock) -> tuple[PolicyChanges, PolicyState]:
    """`PolicyChanges` on memory, with version 1 the defaults, as the service's first start writes it."""
    state, now = PolicyState(), clock.now()
    state.versions.append(_first_version(now))
    state.published.append((topics.POLICY_CHANGED,
                            PolicyChanged(occurred_at=now, version=1, policy=policy_defaults())))
    return PolicyChanges(MemoryUnitsOfWork(state, clock, MemoryVersionStore)), state


def _first_version(now: datetime) -> PolicyVersion:
    return PolicyVersion(version=1, document=policy_defaults().model_dump(mode="json"), created_by="system",
                         reason="policy defaults", created_at=now)
