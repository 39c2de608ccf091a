"""Pause and resume this replica's consumer groups as ops asked (SPEC §2, seed §6).

The desired state lives in the service's database (`consumer_controls`): every replica loads it before its
consumers start, and again every `interval` seconds, and applies it with aiokafka's `pause`/`resume` on the
partitions it holds. Three guards keep a paused group from applying anything:
- at assignment: aiokafka forgets pauses on a rebalance, so a rebalance listener pauses new partitions at once;
- in the handler: a record fetched before the pause reached this replica is not applied; its partition is
  paused and rewound to it (`nack`), so nothing is skipped and the offset stays where it was;
- at each round: the state is re-read, so a pause taken on another replica, or an `until` that passed,
  reaches this one within `interval` seconds.
Intake is held in Kafka meanwhile; resuming continues from the committed offsets. Each round also reports
what this replica holds, has paused and how far the group lags (`consumer_replicas`), for ops' status."""

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiokafka import ConsumerRebalanceListener, TopicPartition
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.subscriber.usecase import LogicSubscriber
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.messaging.consumer_control_store import ConsumerControlStore
from platform_shared.messaging.consumer_pause import DesiredState
from platform_shared.rounds import run_rounds
from platform_shared.time.clock import Clock

log = logging.getLogger(__name__)


@dataclass
class _Registered:
    topic: str
    subscriber: LogicSubscriber[Any] | None = None


class ConsumerControls:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, replica: str,
                 interval_seconds: float) -> None:
        self._sessions = sessions
        self._clock = clock
        self.replica = replica
        self.interval_seconds = interval_seconds
        self._groups: dict[str, _Registered] = {}
        self._desired: dict[str, DesiredState] = {}
        self._changes = 0

    @property
    def consumers(self) -> dict[str, str]:
        """This service's consumer groups and the topic each consumes."""
        return {group: registered.topic for group, registered in self._groups.items()}

    def declare(self, group_id: str, topic: str) -> "_Rebalances":
        """A consumer group of this replica; returns the rebalance listener its subscriber must be given."""
        self._groups[group_id] = _Registered(topic)
        return _Rebalances(self, group_id)

    def attach(self, group_id: str, subscriber: LogicSubscriber[Any]) -> None:
        self._groups[group_id].subscriber = subscriber

    def holds(self, group_id: str) -> bool:
        desired = self._desired.get(group_id)
        return desired is not None and desired.holds(self._clock.now())

    async def hold(self, group_id: str, message: KafkaMessage) -> None:
        """A record arrived for a paused group: pause its partitions now and rewind to the record."""
        self.apply(group_id)
        await message.nack()

    def desired(self, group_id: str) -> DesiredState | None:
        return self._desired.get(group_id)

    async def load(self) -> None:
        changes = self._changes
        async with self._sessions() as session:
            desired = await ConsumerControlStore(session).desired()
        if changes == self._changes:  # a read begun before this replica's own change would undo it
            self._desired = desired

    def change(self, groups: list[str], state: DesiredState) -> None:
        """Apply a change this replica just stored, without waiting for the next round."""
        self._changes += 1
        for group in groups:
            self._desired[group] = state
            self.apply(group)

    def apply(self, group_id: str) -> None:
        consumer = self._consumer(group_id)
        if consumer is None:
            return
        if self.holds(group_id):
            held = consumer.assignment() - consumer.paused()
            if held:
                consumer.pause(*held)
                log.info("consumer group %s paused on %s", group_id, _names(held))
        elif consumer.paused():
            resumed = consumer.paused()
            consumer.resume(*resumed)
            log.info("consumer group %s resumed on %s", group_id, _names(resumed))

    def _consumer(self, group_id: str) -> Any:
        registered = self._groups.get(group_id)
        return None if registered is None or registered.subscriber is None else registered.subscriber.consumer

    async def one_round(self) -> bool:
        await self.load()
        for group in self._groups:
            self.apply(group)
        await self.report()
        return False

    async def report(self) -> None:
        now = self._clock.now()
        reports = [(group, await self._state_of(group)) for group in self._groups]
        async with self._sessions.begin() as session:
            store = ConsumerControlStore(session)
            for group, (assigned, paused, lag) in reports:
                await store.report(self.replica, group, assigned=assigned, paused=paused, lag=lag, at=now)

    async def _state_of(self, group_id: str) -> tuple[list[str], list[str], int | None]:
        consumer = self._consumer(group_id)
        if consumer is None:
            return [], [], None
        assigned = sorted(consumer.assignment(), key=_name)
        paused = sorted(consumer.paused(), key=_name)
        lag = None
        if assigned:
            ends = await consumer.end_offsets(assigned)
            committed = [await consumer.committed(tp) for tp in assigned]
            lag = sum(ends[tp] - (offset or 0) for tp, offset in zip(assigned, committed, strict=True))
        return _names(assigned), _names(paused), lag

    async def run_forever(self) -> None:
        await run_rounds(self.one_round, lambda: asyncio.sleep(self.interval_seconds), what="consumer controls")

    async def forget_replica(self) -> None:
        """On a clean stop: this replica's reports go, so status lists only replicas that run."""
        async with self._sessions.begin() as session:
            await ConsumerControlStore(session).forget(self.replica)

    def silent_after(self) -> timedelta:
        """A replica that has not reported for this long is no longer listed."""
        return timedelta(seconds=max(30.0, 5 * self.interval_seconds))


class _Rebalances(ConsumerRebalanceListener):  # type: ignore[misc]
    """aiokafka drops pauses when partitions move: a paused group pauses what it is given at once."""

    def __init__(self, controls: ConsumerControls, group_id: str) -> None:
        self._controls = controls
        self._group_id = group_id

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        return None

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self._controls.apply(self._group_id)


def _name(partition: TopicPartition) -> str:
    return f"{partition.topic}:{partition.partition}"


def _names(partitions: Any) -> list[str]:
    return sorted(_name(partition) for partition in partitions)
