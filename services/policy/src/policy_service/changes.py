"""Changing the policy (SPEC §6, seed §8): propose → see the field-by-field diff and a token → confirm with
a fresh second factor → a new version, published to every service. A rollback is the same two steps
towards an earlier version's content, and creates a new version equal to it. History and diffs of any two
versions. Every step audited."""

from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.audit.chain import record_action
from platform_shared.audit.confirmations import claim_confirmation, complete_confirmation, request_confirmation
from platform_shared.contracts.events import PolicyChanged
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.errors import DomainError, InvalidInputError, NotFoundError
from platform_shared.time.clock import Clock
from policy_service.adapters.version_store import VersionStore
from policy_service.domain.adgate import SwitchedOff, switched_off
from policy_service.domain.changes import FieldChange, diff, proposed_document, refuse_if_stale
from policy_service.models import PolicyVersion


@dataclass(frozen=True)
class Confirmed:
    version: PolicyVersion
    adgate_switched_off: list[SwitchedOff] = field(default_factory=list)
    """Exemptions this version ended: each leaves entries admitted without a sponsor visit to review."""


CHANGE = "policy.change"
ROLLBACK = "policy.rollback"
TARGET = "policy"


class PolicyChanges:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def propose(self, actor: str, reason: str, impact_memo: str, *, values: dict[str, Any] | None,
                      patch: dict[str, Any] | None, scope: list[str] | None = None) -> dict[str, Any]:
        async with self._sessions.begin() as session:
            current = await _current(VersionStore(session))
            before = _document(current)
            try:
                after = proposed_document(before, values=values, patch=patch, scope=scope)
            except ValidationError as error:
                first = error.errors()[0]
                raise InvalidInputError(f"the proposed policy is not valid: {first['msg']}",
                                        field=".".join(str(part) for part in first["loc"]) or "patch") from error
            except ValueError as error:
                raise InvalidInputError(str(error), field="patch") from error
            return await self._prepare(session, CHANGE, actor, current, after, {
                "reason": reason, "impact_memo": impact_memo, "scope": scope, "restored_from": None})

    async def prepare_rollback(self, version: int, actor: str, reason: str) -> dict[str, Any]:
        async with self._sessions.begin() as session:
            store = VersionStore(session)
            current, target = await _current(store), await store.get(version)
            if target is None:
                raise NotFoundError(f"no policy version {version}", field="version")
            return await self._prepare(session, ROLLBACK, actor, current, _document(target),
                                       {"reason": reason, "impact_memo": f"rollback to version {version}",
                                        "scope": None, "restored_from": version})

    async def confirm(self, token: str, actor: str, *, rollback: bool = False) -> Confirmed:
        """The same token twice yields the same version; a proposal overtaken by another version is refused."""
        action = ROLLBACK if rollback else CHANGE
        async with self._sessions.begin() as session:
            now, store = self._clock.now(), VersionStore(session)
            pending = await claim_confirmation(session, token, action=action, target=TARGET, now=now)
            if pending.confirmed:
                assert pending.outcome is not None, "a confirmed request records its outcome"
                confirmed = await store.get(int(pending.outcome["version"]))
                assert confirmed is not None
                return Confirmed(confirmed, [SwitchedOff(**s) for s in pending.outcome["adgate_switched_off"]])
            await store.lock()
            current = await _current(store)
            params = pending.params
            refuse_if_stale(params["proposed_against"], current.version)
            after = PolicyDocument.model_validate(params["document"])
            version = PolicyVersion(version=current.version + 1, document=after.model_dump(mode="json"),
                                    created_by=actor, reason=params["reason"], impact_memo=params["impact_memo"],
                                    proposed_against=current.version, restored_from=params["restored_from"],
                                    scope=params.get("scope"), created_at=now)
            await store.add(version, PolicyChanged(occurred_at=now, version=version.version, policy=after))
            ended = switched_off(_document(current), after)
            complete_confirmation(pending, actor=actor, now=now, outcome={
                "version": version.version, "adgate_switched_off": [asdict(e) for e in ended]})
            await record_action(session, at=now, actor=actor, action=action, target=f"policy:v{version.version}",
                                reason=params["reason"], before={"version": current.version},
                                after={"version": version.version, "changes": params["changes"],
                                       "scope": params.get("scope"), "restored_from": params["restored_from"],
                                       "proposed_by": pending.requested_by})
        return Confirmed(version, ended)

    async def history(self) -> list[tuple[PolicyVersion, list[FieldChange]]]:
        """Every version, oldest first, with what it changed from its predecessor."""
        async with self._sessions() as session:
            versions = await VersionStore(session).all()
        documents = [_document(v) for v in versions]
        return [(v, diff(documents[i - 1], documents[i]) if i else []) for i, v in enumerate(versions)]

    async def compare(self, from_version: int, to_version: int) -> list[FieldChange]:
        async with self._sessions() as session:
            store = VersionStore(session)
            older, newer = await store.get(from_version), await store.get(to_version)
        for wanted, found, parameter in ((from_version, older, "from"), (to_version, newer, "to")):
            if found is None:
                raise NotFoundError(f"no policy version {wanted}", field=parameter)
        assert older is not None and newer is not None
        return diff(_document(older), _document(newer))

    async def _prepare(self, session: AsyncSession, action: str, actor: str, current: PolicyVersion,
                       after: PolicyDocument, details: dict[str, Any]) -> dict[str, Any]:
        changes = [asdict(change) for change in diff(_document(current), after)]
        if not changes:
            raise DomainError("this changes nothing: the document equals version "
                              f"{current.version}", field="document")
        shown = {"proposed_against": current.version, "changes": changes, **details}
        pending = await request_confirmation(session, action=action, target=TARGET, actor=actor,
                                             now=self._clock.now(), summary=shown,
                                             params={**shown, "document": after.model_dump(mode="json")})
        await record_action(session, at=self._clock.now(), actor=actor, action=f"{action}.prepare", target=TARGET,
                            reason=details["reason"], params=shown)
        return pending.prepared(shown)


async def _current(store: VersionStore) -> PolicyVersion:
    current = await store.latest()
    if current is None:
        raise NotFoundError("no policy version exists yet")
    return current


def _document(version: PolicyVersion) -> PolicyDocument:
    return PolicyDocument.model_validate(version.document)
