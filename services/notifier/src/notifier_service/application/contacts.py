"""The contact book kept by operators (seed §1: notices by e-mail): an audited import, all or nothing, and an
audited removal. The audit log records counts and user ids, never an address (personal data stays in the
contact book)."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.contacts import ContactStore
from notifier_service.domain.contacts import checked_contacts
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.errors import NotFoundError
from platform_shared.time.clock import Clock


class KeepContacts:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._units = UnitsOfWork(sessions, clock)

    async def import_contacts(self, rows: Sequence[tuple[str, str]], source: str, actor: str,
                              reason: str) -> dict[str, int]:
        """Load (who has an address already) → decide (domain/contacts.py: every row, or none) → store."""
        contacts = checked_contacts(rows)
        async with self._units.begin() as uow:
            store = ContactStore(uow.session)
            replaced = await store.known([c.user_id for c in contacts])
            await store.put(contacts, source, uow.now)
            await uow.audit(actor=actor, action="contacts.import", target="contacts", reason=reason,
                            params={"source": source, "imported": len(contacts), "replaced": replaced})
        return {"imported": len(contacts), "replaced": replaced}

    async def remove(self, user_id: str, actor: str, reason: str) -> None:
        async with self._units.begin() as uow:
            if not await ContactStore(uow.session).remove(user_id):
                raise NotFoundError(f"no contact for user {user_id!r}", field="user_id")
            await uow.audit(actor=actor, action="contacts.remove", target=f"contact:{user_id}", reason=reason)

    async def summary(self) -> dict[str, Any]:
        async with self._sessions() as session:
            return await ContactStore(session).summary()
