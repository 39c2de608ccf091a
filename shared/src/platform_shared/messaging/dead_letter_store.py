"""A service's dead letters and redrive tasks in its own database. SQL only, in the caller's
transaction; every time is the service clock's, passed in (never the database's `now()`)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from platform_shared.db.engine import any_of, rowcount
from platform_shared.errors import NotFoundError
from platform_shared.messaging.redrive_rules import lease_for
from platform_shared.messaging.tables import DeadLetterRecord, Redrive


@dataclass(frozen=True)
class LetterFilter:
    """Which dead letters: by source topic, consumer group, exception type, ops' cause tag,
    failure time (since ≤ failed_at < until), and whether a redrive already sent them back."""

    topic: str | None = None
    group: str | None = None
    exception_type: str | None = None
    cause: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    redriven: bool | None = None

    def apply(self, query: Select[DeadLetterRecord]) -> Select[DeadLetterRecord]:
        conditions = [
            DeadLetterRecord.original_topic == self.topic if self.topic else None,
            DeadLetterRecord.consumer_group == self.group if self.group else None,
            DeadLetterRecord.exception_type == self.exception_type if self.exception_type else None,
            DeadLetterRecord.cause == self.cause if self.cause else None,
            DeadLetterRecord.failed_at >= self.since if self.since else None,
            DeadLetterRecord.failed_at < self.until if self.until else None,
            None if self.redriven is None else (DeadLetterRecord.replayed_at.is_not(None) if self.redriven
                                               else DeadLetterRecord.replayed_at.is_(None)),
        ]
        return query.where(*(condition for condition in conditions if condition is not None))


class DeadLetterStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def letters(self, chosen: LetterFilter, limit: int) -> list[DeadLetterRecord]:
        """Newest first."""
        query = chosen.apply(select(DeadLetterRecord)).order_by(DeadLetterRecord.id.desc()).limit(limit)
        return list((await self._session.scalars(query)).all())

    async def letter(self, letter_id: int, *, lock: bool = False) -> DeadLetterRecord:
        letter = await self._session.get(DeadLetterRecord, letter_id, with_for_update=lock)
        if letter is None:
            raise NotFoundError(f"no dead letter {letter_id}", field="letter_id")
        return letter

    async def chosen(self, ids: list[int] | None, chosen: LetterFilter) -> list[DeadLetterRecord]:
        """The letters a redrive or a tag names, oldest first: by id (each must exist), or by filter."""
        if ids is not None:
            found = {letter.id: letter for letter in (await self._session.scalars(
                select(DeadLetterRecord).where(any_of(DeadLetterRecord.id, ids)))).all()}
            missing = [letter_id for letter_id in ids if letter_id not in found]
            if missing:
                raise NotFoundError(f"no dead letter {missing[0]}", field="ids")
            return [found[letter_id] for letter_id in sorted(set(ids))]
        return list((await self._session.scalars(chosen.apply(select(DeadLetterRecord))
                                                 .order_by(DeadLetterRecord.id))).all())

    async def tag(self, ids: list[int], cause: str) -> int:
        return rowcount(await self._session.execute(
            update(DeadLetterRecord).where(any_of(DeadLetterRecord.id, ids)).values(cause=cause)))

    async def add_redrive(self, redrive: Redrive) -> None:
        self._session.add(redrive)
        await self._session.flush()

    async def redrive(self, redrive_id: UUID, *, lock: bool = False) -> Redrive:
        redrive = await self._session.get(Redrive, redrive_id, with_for_update=lock)
        if redrive is None:
            raise NotFoundError(f"no redrive {redrive_id}", field="redrive_id")
        return redrive

    async def redrives(self, limit: int) -> list[Redrive]:
        """Newest first."""
        return list((await self._session.scalars(
            select(Redrive).order_by(Redrive.created_at.desc()).limit(limit))).all())

    async def came_back(self, redrive_ids: list[UUID]) -> list[tuple[UUID, int, DeadLetterRecord]]:
        """(redrive, letter it sent, the new letter) for each letter those redrives sent back that failed again
        (redrive_rules.py: the same record, from the same group, counted once more, kept after it). Read at each
        look at a redrive, so its report holds whatever the consumers decided since, on any replica."""
        if not redrive_ids:
            return []
        sent, again = aliased(DeadLetterRecord), aliased(DeadLetterRecord)
        rows = await self._session.execute(
            select(sent.redrive_id, sent.id, again)
            .join(again, and_(again.consumer_group == sent.consumer_group,
                              again.original_topic == sent.original_topic,
                              again.original_key.is_not_distinct_from(sent.original_key),
                              again.dead_letter_count == sent.dead_letter_count + 1,
                              again.id > sent.id, again.payload == sent.payload))
            .where(any_of(sent.redrive_id, redrive_ids))
            .distinct(sent.id).order_by(sent.id, again.id))
        return [(redrive_id, letter_id, letter) for redrive_id, letter_id, letter in rows.tuples()
                if redrive_id is not None]

    async def claim_redrive(self, replica: str, now: datetime) -> Redrive | None:
        """A running redrive nobody holds, or whose holder went quiet past its lease, or that this replica held
        when a round failed (a broker that refused a send), leased to `replica`."""
        waiting = (select(Redrive.id).where(Redrive.status == "running",
                                            or_(Redrive.lease_until.is_(None), Redrive.lease_until < now,
                                                Redrive.lease_owner == replica))
                   .order_by(Redrive.created_at).limit(1).with_for_update(skip_locked=True))
        redrive_id = await self._session.scalar(waiting)
        if redrive_id is None:
            return None
        redrive = await self.redrive(redrive_id)
        redrive.lease_owner, redrive.lease_until = replica, now + lease_for(redrive.rate_per_second)
        return redrive
