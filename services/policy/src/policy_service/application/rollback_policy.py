"""Rolling the policy back (seed §8.4): the same two steps as a change, towards an earlier version's content;
the confirmation creates a new version equal to it, recording which it restored. A rollback's token confirms
a rollback only."""

from dataclasses import dataclass

from platform_shared.application.two_step import TwoStep
from platform_shared.application.unit_of_work import Units
from platform_shared.errors import NotFoundError
from policy_service.application.policy_versions import (
    Confirm,
    Confirmed,
    Prepared,
    Proposal,
    confirm_version,
    current_version,
    document_of,
    prepare_version,
)
from policy_service.application.ports import VersionStore

ROLLBACK = TwoStep("policy.rollback", Proposal)


@dataclass(frozen=True)
class PrepareRollback:
    version: int
    """The earlier version whose content returns."""
    actor: str
    reason: str


async def prepare_rollback(units: Units[VersionStore], command: PrepareRollback) -> Prepared:
    async with units.begin() as uow:
        store = uow.stores
        current, target = await current_version(store), await store.get(command.version)
        if target is None:
            raise NotFoundError(f"no policy version {command.version}", field="version")
        return await prepare_version(uow, ROLLBACK, command.actor, current, document_of(target), {
            "reason": command.reason, "impact_memo": f"rollback to version {command.version}", "scope": None,
            "restored_from": command.version})


async def confirm_rollback(units: Units[VersionStore], command: Confirm) -> Confirmed:
    async with units.begin() as uow:
        return await confirm_version(uow, ROLLBACK, command)
