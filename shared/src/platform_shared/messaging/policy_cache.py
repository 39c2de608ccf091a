"""Each service's copy of the policy, fed by `policy_changed` (SPEC §6 "cache integrity")."""

from functools import lru_cache

from sqlalchemy import Text, cast, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.contracts.events import PolicyChanged
from platform_shared.contracts.policy import PolicyDocument, policy_defaults
from platform_shared.messaging.tables import PolicySnapshot

DEFAULTS_VERSION = 0
"""Reported until the first `policy_changed` arrives: the service runs on `policy_defaults()`."""


async def store_policy(event: PolicyChanged, session: AsyncSession) -> None:
    """Keep the newest version only: an older snapshot replayed from the topic changes nothing."""
    statement = insert(PolicySnapshot).values(id=1, version=event.version,
                                              document=event.policy.model_dump(mode="json"))
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[PolicySnapshot.id],
            set_={"version": statement.excluded.version, "document": statement.excluded.document},
            where=PolicySnapshot.version < statement.excluded.version,
        )
    )


async def current_policy(session: AsyncSession) -> tuple[int, PolicyDocument]:
    """Read on every request that depends on the policy, so a change applies at once on every replica; the
    document is parsed once per distinct text (validating it costs more than reading it)."""
    snapshot = (await session.execute(select(PolicySnapshot.version, cast(PolicySnapshot.document, Text))
                                      .where(PolicySnapshot.id == 1))).one_or_none()
    return policy_of(*snapshot) if snapshot is not None else policy_of(None, None)


def policy_of(version: int | None, document: str | None) -> tuple[int, PolicyDocument]:
    """The policy a snapshot row names (read here, or by a statement that reads it along with other rows):
    the defaults where there is none yet."""
    if version is None or document is None:
        return DEFAULTS_VERSION, policy_defaults()
    return version, _parsed(document)


@lru_cache(maxsize=16)
def _parsed(document: str) -> PolicyDocument:
    """Keyed by the text itself, never by the version alone: two databases (tests, a restore) may hold
    different documents under one version number. The model is frozen, so sharing it is safe."""
    return PolicyDocument.model_validate_json(document)
