"""Restoring the policy history from a backup (seed §15) into an empty policy database: every version
exactly as the file holds it, and the newest one announced on `policy_changed`, so the fleet takes it when
the policy service starts on this database. Only a file `verify_history` accepted reaches this."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.contracts.events import PolicyChanged
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.errors import InvalidStateError
from platform_shared.time.clock import Clock
from policy_service.adapters.models import PolicyVersion
from policy_service.adapters.version_store import SqlVersionStore
from policy_service.domain.backups import History

RESTORE = "policy.restore"


async def restore_history(sessions: async_sessionmaker[AsyncSession], clock: Clock, history: History, *,
                          source: str, actor: str) -> int:
    """One transaction: all of it, or nothing. Refused unless the database holds no policy version (a
    restore never merges two histories); the policy service must not have started on it yet, since its
    first start writes version 1."""
    async with UnitsOfWork(sessions, clock).begin() as uow:
        store = SqlVersionStore(uow.session)
        await store.lock()
        existing = await store.count()
        if existing:
            raise InvalidStateError(f"the policy database is not empty: it holds {existing} policy version(s); "
                                    "restore only into an empty policy database", field="database")
        newest = history.versions[-1]
        await store.add_history(
            [PolicyVersion(**record.model_dump()) for record in history.versions],
            PolicyChanged(occurred_at=uow.now, version=newest.version, policy=PolicyDocument.model_validate(
                newest.document)))
        await uow.audit(actor=actor, action=RESTORE, target=f"policy:v{newest.version}",
                        reason=f"restored from {source}",
                        after={"versions": len(history.versions), "slot": history.slot.isoformat(),
                               "key_id": history.key_id})
    return newest.version
