"""Changing the policy (SPEC §6, seed §8.1–§8.2): propose → the field-by-field diff and a token → confirm
with a fresh second factor → a new version, published to every service. A partial change names the campaigns
it is for (`scope`)."""

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from platform_shared.application.two_step import TwoStep
from platform_shared.application.unit_of_work import Units
from platform_shared.errors import InvalidInputError
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
from policy_service.domain.changes import proposed_document

CHANGE = TwoStep("policy.change", Proposal)


@dataclass(frozen=True)
class ProposeChange:
    """A whole new document (`values`) or a merge patch of the one in force (`patch`), and why."""

    actor: str
    reason: str
    impact_memo: str
    values: dict[str, Any] | None = None
    patch: dict[str, Any] | None = None
    scope: list[str] | None = None


async def propose_change(units: Units[VersionStore], command: ProposeChange) -> Prepared:
    async with units.begin() as uow:
        current = await current_version(uow.stores)
        try:
            after = proposed_document(document_of(current), values=command.values, patch=command.patch,
                                      scope=command.scope)
        except ValidationError as error:
            first = error.errors()[0]
            raise InvalidInputError(f"the proposed policy is not valid: {first['msg']}",
                                    field=".".join(str(part) for part in first["loc"]) or "patch") from error
        except ValueError as error:
            raise InvalidInputError(str(error), field="patch") from error
        return await prepare_version(uow, CHANGE, command.actor, current, after, {
            "reason": command.reason, "impact_memo": command.impact_memo, "scope": command.scope,
            "restored_from": None})


async def confirm_change(units: Units[VersionStore], command: Confirm) -> Confirmed:
    async with units.begin() as uow:
        return await confirm_version(uow, CHANGE, command)
