"""Each service's copy of the policy, fed by `policy_changed` (SPEC §6 "cache integrity")."""

from sqlalchemy import select
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
    snapshot = await session.scalar(select(PolicySnapshot).where(PolicySnapshot.id == 1))
    if snapshot is None:
        return DEFAULTS_VERSION, policy_defaults()
    return snapshot.version, PolicyDocument.model_validate(snapshot.document)
