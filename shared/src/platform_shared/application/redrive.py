"""Dead-letter redrive (AWS SQS's StartMessageMoveTask is the model): ops choose dead letters (by
id, or by topic, group, reason, cause and time range), and a redrive sends them back to their topics in
order, at a chosen rate, with their key and headers and how often they were dead-lettered. It has progress
and can be cancelled. A letter counts as redriven only once the broker acknowledged it (the producer runs
with acks=all); if the replica dies between that and recording it, whoever takes the redrive over sends it
again and the consumers' inboxes apply it once. Every replica runs redrives it can lease.

An ops action with its audit record in the same transaction (runbook §0), so it sits above both messaging
(the dead letters, the broker) and the audit log."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from uuid import UUID, uuid4

from faststream.kafka import KafkaBroker
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.errors import InvalidStateError
from platform_shared.messaging.dead_letter_store import DeadLetterStore, LetterFilter
from platform_shared.messaging.redrive_rules import (
    LEASE,
    lease_for,
    may_redrive,
    pause_between,
    redrive_headers,
    refuse_empty,
    refuse_too_many,
)
from platform_shared.messaging.tables import DeadLetterRecord, Redrive
from platform_shared.rounds import run_rounds
from platform_shared.time.clock import Clock

RUNNING, DONE, CANCELLED = "running", "done", "cancelled"
log = logging.getLogger(__name__)
Requeue = Callable[[DeadLetterRecord], Awaitable[bool]]
"""Puts a letter's row back in its queue; False when there was nothing to put back (sent since, cancelled)."""


class Redrives:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], broker: KafkaBroker, clock: Clock, replica: str,
                 max_redrives: int) -> None:
        self._sessions = sessions
        self._broker = broker
        self._clock = clock
        self._units = UnitsOfWork(sessions, clock)
        self._replica = replica
        self.max_redrives = max_redrives
        self._wake = asyncio.Event()
        self._queues: dict[str, Requeue] = {}

    def return_to_queue(self, group: str, requeue: Requeue) -> None:
        """Letters of `group` are rows of this service's own queue, not records of a topic (the notifier's dead
        notifications): a redrive hands them to `requeue`, whose commit stands for the broker's ack."""
        self._queues[group] = requeue

    async def start(self, ids: Sequence[int] | None, chosen: LetterFilter, rate_per_second: float, reason: str,
                    actor: str) -> Redrive:
        """Fix the letters to send now (those not sent back yet and under the maximum; the rest are counted as
        skipped), and let a replica run it."""
        async with self._units.begin() as uow:
            store = DeadLetterStore(uow.session)
            letters = await store.chosen(list(ids) if ids is not None else None, chosen)
            refuse_too_many(len(letters))
            sendable = [letter.id for letter in letters if self._sendable(letter)]
            refuse_empty(len(letters), len(sendable), self.max_redrives)
            redrive = Redrive(id=uuid4(), letter_ids=sendable, rate_per_second=rate_per_second, status=RUNNING,
                              position=0, redriven=0, skipped=len(letters) - len(sendable), reason=reason,
                              created_by=actor, created_at=uow.now)
            await store.add_redrive(redrive)
            await uow.audit(actor=actor, action="dead_letters.redrive", target=f"redrive:{redrive.id}", reason=reason,
                            params={"letters": len(sendable), "skipped": redrive.skipped,
                                    "rate_per_second": rate_per_second, "ids": list(ids) if ids else None,
                                    "filter": _described(chosen)})
        log.info("redrive %s started: %d letters at %s/s (%d skipped)", redrive.id, len(sendable), rate_per_second,
                 redrive.skipped)
        self._wake.set()
        return redrive

    async def cancel(self, redrive_id: UUID, reason: str, actor: str) -> Redrive:
        """Stops before its next letter; what was sent stays sent."""
        async with self._units.begin() as uow:
            redrive = await DeadLetterStore(uow.session).redrive(redrive_id, lock=True)
            if redrive.status != RUNNING:
                raise InvalidStateError(f"redrive {redrive_id} is already {redrive.status}", field="redrive_id")
            redrive.status, redrive.finished_at, redrive.lease_owner = CANCELLED, uow.now, None
            await uow.audit(actor=actor, action="dead_letters.redrive_cancel",
                            target=f"redrive:{redrive_id}", reason=reason,
                            params={"redriven": redrive.redriven, "of": len(redrive.letter_ids)})
        return redrive

    async def tag(self, ids: Sequence[int] | None, chosen: LetterFilter, cause: str, actor: str) -> int:
        """Ops' cause for letters they sampled (seed §6.3)."""
        async with self._units.begin() as uow:
            store = DeadLetterStore(uow.session)
            letters = await store.chosen(list(ids) if ids is not None else None, chosen)
            tagged = await store.tag([letter.id for letter in letters], cause)
            await uow.audit(actor=actor, action="dead_letters.tag", target="dead_letters",
                            params={"cause": cause, "letters": tagged, "filter": _described(chosen)})
        return tagged

    def _sendable(self, letter: DeadLetterRecord) -> bool:
        return letter.replayed_at is None and not letter.payload_truncated and \
            may_redrive(letter.dead_letter_count, self.max_redrives, letter.original_topic)

    async def run_forever(self) -> None:
        await run_rounds(self.one_round, self._idle, what="dead-letter redrive")

    async def _idle(self) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=LEASE.total_seconds() / 10)

    async def one_round(self) -> bool:
        """Lease a running redrive and send its letters until it is done, cancelled or taken over."""
        async with self._sessions.begin() as session:
            redrive = await DeadLetterStore(session).claim_redrive(self._replica, self._clock.now())
        if redrive is None:
            return False
        while True:
            pause = await self._send_next(redrive.id)
            if pause is None:
                return True
            await asyncio.sleep(pause)  # the rate ops chose

    async def _send_next(self, redrive_id: UUID) -> float | None:
        """One letter; the pause before the next, or None when this replica should stop. No lock is held while
        the broker is asked: the letter is read, sent, then recorded if this replica still holds the redrive
        at the same place (a cancel in between wins; the letter sent stays sent, and counted nowhere)."""
        async with self._sessions() as session:
            store = DeadLetterStore(session)
            redrive = await store.redrive(redrive_id)
            if redrive.status != RUNNING or redrive.lease_owner != self._replica:
                return None  # cancelled, or another replica took it over after this one went quiet
            position = redrive.position
            letter = await store.letter(redrive.letter_ids[position]) if position < len(redrive.letter_ids) else None
            send = letter is not None and self._sendable(letter)
        if send and letter is not None:
            send = await self._send(letter)  # returns once the broker acknowledged it
        now = self._clock.now()
        async with self._sessions.begin() as session:
            store = DeadLetterStore(session)
            redrive = await store.redrive(redrive_id, lock=True)
            if redrive.status != RUNNING or redrive.lease_owner != self._replica or redrive.position != position:
                return None
            if letter is None:
                redrive.status, redrive.finished_at, redrive.lease_owner, redrive.lease_until = DONE, now, None, None
                return None
            if send:
                recorded = await store.letter(letter.id, lock=True)
                recorded.replayed_at, recorded.redrive_id = now, redrive.id
                redrive.redriven += 1
            else:
                redrive.skipped += 1
            redrive.position += 1
            redrive.lease_until = now + lease_for(redrive.rate_per_second)
            return pause_between(redrive.rate_per_second)

    async def _send(self, letter: DeadLetterRecord) -> bool:
        """Whether it went back: a topic's letter always does once the broker acknowledged it."""
        requeue = self._queues.get(letter.consumer_group)
        if requeue is not None:
            return await requeue(letter)
        await self._broker.publish(letter.payload.encode(), letter.original_topic,
                                   key=letter.original_key.encode() if letter.original_key is not None else None,
                                   headers=redrive_headers(letter.original_headers, letter.dead_letter_count))
        return True


def _described(chosen: LetterFilter) -> dict[str, Any]:
    return {name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in vars(chosen).items() if value is not None}
