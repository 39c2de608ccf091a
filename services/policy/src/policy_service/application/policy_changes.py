"""Changing the policy (SPEC §6, seed §8): propose → see the field-by-field diff and a token → confirm with
a fresh second factor → a new version, published to every service. A rollback is the same two steps
towards an earlier version's content, and creates a new version equal to it. History and diffs of any two
versions. Every step audited.

The use case runs on `Units[VersionStore]`: PostgreSQL in the service (`sql_units`), memory twins in the unit
tier (tests/memory_policy.py), one scenario for both (tests/test_policy_change_scenario.py)."""

from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.two_step import Acted, Requested, TwoStep
from platform_shared.application.unit_of_work import UnitOfWork, Units, UnitsOfWork
from platform_shared.contracts.events import PolicyChanged
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.errors import DomainError, InvalidInputError, NotFoundError
from platform_shared.time.clock import Clock
from policy_service.adapters.version_store import SqlVersionStore, VersionStore
from policy_service.domain.adgate import SwitchedOff, switched_off
from policy_service.domain.changes import FieldChange, diff, proposed_document, refuse_if_stale
from policy_service.adapters.models import PolicyVersion


@dataclass(frozen=True)
class Confirmed:
    version: PolicyVersion
    adgate_switched_off: list[SwitchedOff] = field(default_factory=list)
    """Exemptions this version ended: each leaves entries admitted without a sponsor visit to review."""


@dataclass(frozen=True)
class Proposal:
    """A new version as its first step showed it: confirming it over a version other than the one it was
    proposed against is refused (runbook §8.2: nobody overwrites a change they have not seen)."""

    proposed_against: int
    changes: list[dict[str, Any]]
    reason: str
    impact_memo: str
    restored_from: int | None
    document: dict[str, Any]
    scope: list[str] | None = None
    """Absent from a request stored before partial changes existed: a change of the whole document."""


CHANGE = TwoStep("policy.change", Proposal)
ROLLBACK = TwoStep("policy.rollback", Proposal)
TARGET = "policy"


def sql_units(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> Units[VersionStore]:
    """The service's units of work: PostgreSQL transactions whose store is `SqlVersionStore`."""
    return UnitsOfWork(sessions, clock, SqlVersionStore)


class PolicyChanges:
    def __init__(self, units: Units[VersionStore]) -> None:
        self._units = units

    async def propose(self, actor: str, reason: str, impact_memo: str, *, values: dict[str, Any] | None,
                      patch: dict[str, Any] | None, scope: list[str] | None = None) -> dict[str, Any]:
        async with self._units.begin() as uow:
            current = await _current(uow.stores)
            before = _document(current)
            try:
                after = proposed_document(before, values=values, patch=patch, scope=scope)
            except ValidationError as error:
                first = error.errors()[0]
                raise InvalidInputError(f"the proposed policy is not valid: {first['msg']}",
                                        field=".".join(str(part) for part in first["loc"]) or "patch") from error
            except ValueError as error:
                raise InvalidInputError(str(error), field="patch") from error
            return await _prepare(uow, CHANGE, actor, current, after, {
                "reason": reason, "impact_memo": impact_memo, "scope": scope, "restored_from": None})

    async def prepare_rollback(self, version: int, actor: str, reason: str) -> dict[str, Any]:
        async with self._units.begin() as uow:
            store = uow.stores
            current, target = await _current(store), await store.get(version)
            if target is None:
                raise NotFoundError(f"no policy version {version}", field="version")
            return await _prepare(uow, ROLLBACK, actor, current, _document(target),
                                  {"reason": reason, "impact_memo": f"rollback to version {version}",
                                   "scope": None, "restored_from": version})

    async def confirm(self, token: str, actor: str, *, rollback: bool = False) -> Confirmed:
        """The same token twice yields the same version; a proposal overtaken by another version is refused."""
        step = ROLLBACK if rollback else CHANGE
        async with self._units.begin() as uow:
            store = uow.stores

            async def change(request: Requested[Proposal]) -> Acted:
                await store.lock()
                current, proposal = await _current(store), request.params
                refuse_if_stale(proposal.proposed_against, current.version)
                after = PolicyDocument.model_validate(proposal.document)
                version = PolicyVersion(version=current.version + 1, document=after.model_dump(mode="json"),
                                        created_by=actor, reason=proposal.reason, impact_memo=proposal.impact_memo,
                                        proposed_against=current.version, restored_from=proposal.restored_from,
                                        scope=proposal.scope, created_at=uow.now)
                await store.add(version, PolicyChanged(occurred_at=uow.now, version=version.version, policy=after))
                ended = switched_off(_document(current), after)
                return Acted(outcome={"version": version.version, "adgate_switched_off": [asdict(e) for e in ended]},
                             audit_target=f"policy:v{version.version}", reason=proposal.reason,
                             before={"version": current.version},
                             after={"version": version.version, "changes": proposal.changes, "scope": proposal.scope,
                                    "restored_from": proposal.restored_from, "proposed_by": request.requested_by})

            confirmed = await step.confirm(uow, target=TARGET, token=token, actor=actor, act=change)
            version = await store.get(int(confirmed.outcome["version"]))
            assert version is not None, "a confirmed change names the version it created"
        return Confirmed(version, [SwitchedOff(**ended) for ended in confirmed.outcome["adgate_switched_off"]])

    async def history(self) -> list[tuple[PolicyVersion, list[FieldChange]]]:
        """Every version, oldest first, with what it changed from its predecessor."""
        async with self._units.begin() as uow:
            versions = await uow.stores.all()
        documents = [_document(v) for v in versions]
        return [(v, diff(documents[i - 1], documents[i]) if i else []) for i, v in enumerate(versions)]

    async def compare(self, from_version: int, to_version: int) -> list[FieldChange]:
        async with self._units.begin() as uow:
            older, newer = await uow.stores.get(from_version), await uow.stores.get(to_version)
        for wanted, found, parameter in ((from_version, older, "from"), (to_version, newer, "to")):
            if found is None:
                raise NotFoundError(f"no policy version {wanted}", field=parameter)
        assert older is not None and newer is not None
        return diff(_document(older), _document(newer))


async def _current(store: VersionStore) -> PolicyVersion:
    current = await store.latest()
    if current is None:
        raise NotFoundError("no policy version exists yet")
    return current


def _document(version: PolicyVersion) -> PolicyDocument:
    return PolicyDocument.model_validate(version.document)


async def _prepare(uow: UnitOfWork[VersionStore], step: TwoStep[Proposal], actor: str, current: PolicyVersion,
                   after: PolicyDocument, details: dict[str, Any]) -> dict[str, Any]:
    changes = [asdict(change) for change in diff(_document(current), after)]
    if not changes:
        raise DomainError("this changes nothing: the document equals version "
                          f"{current.version}", field="document")
    shown = {"proposed_against": current.version, "changes": changes, **details}
    answer = await step.request(uow, target=TARGET, params=Proposal(**shown, document=after.model_dump(mode="json")),
                                shown=shown, actor=actor)
    await uow.audit(actor=actor, action=f"{step.action}.prepare", target=TARGET, reason=details["reason"],
                    params=shown)
    return answer
