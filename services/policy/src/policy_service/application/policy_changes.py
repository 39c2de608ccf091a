"""The policy's change actions on one set of units of work (SPEC §6, seed §8): change_policy.py,
rollback_policy.py and policy_history.py, as the HTTP routes and the scenario call them. Every step audited.

The actions run on `Units[VersionStore]`: PostgreSQL in the service (`sql_units`), memory twins in the unit
tier (tests/memory_policy.py), one scenario for both (tests/test_policy_change_scenario.py)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.unit_of_work import Units, UnitsOfWork
from platform_shared.time.clock import Clock
from policy_service.adapters.models import PolicyVersion
from policy_service.adapters.version_store import SqlVersionStore
from policy_service.application import policy_history
from policy_service.application.change_policy import ProposeChange, confirm_change, propose_change
from policy_service.application.policy_versions import Confirm, Confirmed, Prepared
from policy_service.application.ports import VersionStore
from policy_service.application.rollback_policy import PrepareRollback, confirm_rollback, prepare_rollback
from policy_service.domain.changes import FieldChange


def sql_units(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> Units[VersionStore]:
    """The service's units of work: PostgreSQL transactions whose store is `SqlVersionStore`."""
    return UnitsOfWork(sessions, clock, SqlVersionStore)


class PolicyChanges:
    def __init__(self, units: Units[VersionStore]) -> None:
        self._units = units

    async def propose(self, actor: str, reason: str, impact_memo: str, *, values: dict[str, Any] | None,
                      patch: dict[str, Any] | None, scope: list[str] | None = None) -> Prepared:
        return await propose_change(self._units, ProposeChange(actor, reason, impact_memo, values, patch, scope))

    async def prepare_rollback(self, version: int, actor: str, reason: str) -> Prepared:
        return await prepare_rollback(self._units, PrepareRollback(version, actor, reason))

    async def confirm(self, token: str, actor: str, *, rollback: bool = False) -> Confirmed:
        """A change's token, or with `rollback` a rollback's: each confirms its own action only."""
        return await (confirm_rollback if rollback else confirm_change)(self._units, Confirm(token, actor))

    async def history(self) -> list[tuple[PolicyVersion, list[FieldChange]]]:
        return await policy_history.history(self._units)

    async def compare(self, from_version: int, to_version: int) -> list[FieldChange]:
        return await policy_history.compare(self._units, from_version, to_version)
