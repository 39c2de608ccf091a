"""The contact book's storage (seed §1: notices by e-mail): an import stored in one statement, a removal, the
counts an operator may see, and the addresses the e-mail channel reads. SQL only; the checks are
domain/contacts.py's."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.models import Contact as ContactRow
from notifier_service.domain.contacts import Contact
from platform_shared.db.engine import any_of, rowcount

PART = 2000


class ContactStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def known(self, user_ids: Collection[str]) -> int:
        """How many of these users already have an address (an import replaces it)."""
        return await self._session.scalar(select(func.count()).select_from(ContactRow).where(
            any_of(ContactRow.user_id, list(user_ids)))) or 0

    async def put(self, contacts: Sequence[Contact], source: str, now: datetime) -> None:
        """In the caller's transaction, in parts (PostgreSQL takes at most 32,767 bind parameters a statement)."""
        for start in range(0, len(contacts), PART):
            statement = insert(ContactRow).values([{"user_id": c.user_id, "email": c.email, "source": source,
                                                    "updated_at": now} for c in contacts[start:start + PART]])
            await self._session.execute(statement.on_conflict_do_update(
                index_elements=[ContactRow.user_id], set_={"email": statement.excluded.email,
                                                           "source": statement.excluded.source,
                                                           "updated_at": statement.excluded.updated_at}))

    async def remove(self, user_id: str) -> bool:
        return rowcount(await self._session.execute(delete(ContactRow).where(ContactRow.user_id == user_id))) > 0

    async def summary(self) -> dict[str, Any]:
        by_source = dict((await self._session.execute(
            select(ContactRow.source, func.count()).group_by(ContactRow.source))).all())
        latest = await self._session.scalar(select(func.max(ContactRow.updated_at)))
        return {"contacts": sum(by_source.values()), "by_source": {k: int(v) for k, v in by_source.items()},
                "updated_at": latest}


class ContactBook:
    """The addresses the e-mail channel reads, each batch in a short session of its own."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def addresses(self, user_ids: Collection[str]) -> dict[str, str]:
        async with self._sessions() as session:
            rows = (await session.execute(select(ContactRow.user_id, ContactRow.email).where(
                any_of(ContactRow.user_id, list(user_ids))))).all()
            return {user_id: email for user_id, email in rows}
