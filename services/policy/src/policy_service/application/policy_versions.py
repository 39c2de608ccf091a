"""What changing the policy and rolling it back share (seed §8): the version in force, a proposal as its first
step showed it, and the second step that turns a proposal into the next version. change_policy.py and
rollback_policy.py are the two actions built on it."""

from dataclasses import asdict, dataclass, field
from typing import Any

from platform_shared.application.two_step import Acted, Requested, TwoStep
from platform_shared.application.unit_of_work import UnitOfWork
from platform_shared.contracts.events import PolicyChanged
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.errors import DomainError, NotFoundError
from policy_service.adapters.models import PolicyVersion
from policy_service.application.ports import VersionStore
from policy_service.domain.adgate import SwitchedOff, switched_off
from policy_service.domain.changes import diff, refuse_if_stale

TARGET = "policy"
Prepared = dict[str, Any]
"""A first step's answer: what it changes (`proposed_against`, `changes`, …) and the token that confirms it."""


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


@dataclass(frozen=True)
class Confirm:
    """The second step of a change or a rollback: the first step's token, and who confirms it."""

    token: str
    actor: str


@dataclass(frozen=True)
class Confirmed:
    version: PolicyVersion
    adgate_switched_off: list[SwitchedOff] = field(default_factory=list)
    """Exemptions this version ended: each leaves entries admitted without a sponsor visit to review."""


async def current_version(store: VersionStore) -> PolicyVersion:
    current = await store.latest()
    if current is None:
        raise NotFoundError("no policy version exists yet")
    return current


def document_of(version: PolicyVersion) -> PolicyDocument:
    return PolicyDocument.model_validate(version.document)


async def prepare_version(uow: UnitOfWork[VersionStore], step: TwoStep[Proposal], actor: str, current: PolicyVersion,
                          after: PolicyDocument, details: dict[str, Any]) -> Prepared:
    """The first step: the field-by-field diff against the version in force, stored under a token; audited."""
    changes = [asdict(change) for change in diff(document_of(current), after)]
    if not changes:
        raise DomainError("this changes nothing: the document equals version "
                          f"{current.version}", field="document")
    shown = {"proposed_against": current.version, "changes": changes, **details}
    answer = await step.request(uow, target=TARGET, params=Proposal(**shown, document=after.model_dump(mode="json")),
                                shown=shown, actor=actor)
    await uow.audit(actor=actor, action=f"{step.action}.prepare", target=TARGET, reason=details["reason"],
                    params=shown)
    return answer


async def add_next_version(uow: UnitOfWork[object], store: VersionStore, current: PolicyVersion, after: PolicyDocument,
                           *, actor: str, reason: str, impact_memo: str, restored_from: int | None = None,
                           scope: list[str] | None = None) -> PolicyVersion:
    """The version after `current` (the caller holds `store.lock()`), its snapshot on `policy_changed` with it:
    every earlier version stays, so each is a rollback point (seed §8.2)."""
    version = PolicyVersion(version=current.version + 1, document=after.model_dump(mode="json"), created_by=actor,
                            reason=reason, impact_memo=impact_memo, proposed_against=current.version,
                            restored_from=restored_from, scope=scope, created_at=uow.now)
    await store.add(version, PolicyChanged(occurred_at=uow.now, version=version.version, policy=after))
    return version


async def confirm_version(uow: UnitOfWork[VersionStore], step: TwoStep[Proposal], command: Confirm) -> Confirmed:
    """The second step: the next version, published. The same token twice yields the same version; a proposal
    overtaken by another version is refused."""
    store = uow.stores

    async def change(request: Requested[Proposal]) -> Acted:
        await store.lock()
        current, proposal = await current_version(store), request.params
        refuse_if_stale(proposal.proposed_against, current.version)
        after = PolicyDocument.model_validate(proposal.document)
        version = await add_next_version(uow, store, current, after, actor=command.actor, reason=proposal.reason,
                                         impact_memo=proposal.impact_memo, restored_from=proposal.restored_from,
                                         scope=proposal.scope)
        ended = switched_off(document_of(current), after)
        return Acted(outcome={"version": version.version, "adgate_switched_off": [asdict(e) for e in ended]},
                     audit_target=f"policy:v{version.version}", reason=proposal.reason,
                     before={"version": current.version},
                     after={"version": version.version, "changes": proposal.changes, "scope": proposal.scope,
                            "restored_from": proposal.restored_from, "proposed_by": request.requested_by})

    confirmed = await step.confirm(uow, target=TARGET, token=command.token, actor=command.actor, act=change)
    version = await store.get(int(confirmed.outcome["version"]))
    assert version is not None, "a confirmed change names the version it created"
    return Confirmed(version, [SwitchedOff(**ended) for ended in confirmed.outcome["adgate_switched_off"]])
