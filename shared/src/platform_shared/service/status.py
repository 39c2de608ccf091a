"""Every process reports the policy version it runs on (SPEC §6 "cache integrity", seed §8.3): a heartbeat
on the compacted `service_status` topic, so the policy service can show every service side by side and
flag one that lags or went silent. Not through the outbox: a lost heartbeat is replaced by the next."""

import asyncio
import os
import socket

from faststream.kafka import KafkaBroker
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.contracts import topics
from platform_shared.contracts.events import ServiceStatus
from platform_shared.contracts.records import event_headers
from platform_shared.messaging.policy_cache import current_policy
from platform_shared.rounds import run_rounds
from platform_shared.time.clock import Clock

INSTANCE = f"{socket.gethostname()}:{os.getpid()}"


class StatusReporter:
    def __init__(self, service: str, sessions: async_sessionmaker[AsyncSession], broker: KafkaBroker, clock: Clock,
                 interval_seconds: float) -> None:
        self._service = service
        self._sessions = sessions
        self._broker = broker
        self._clock = clock
        self._interval_seconds = interval_seconds

    async def report(self) -> bool:
        async with self._sessions() as session:
            version, _ = await current_policy(session)
        status = ServiceStatus(occurred_at=self._clock.now(), service=self._service, instance=INSTANCE,
                               policy_version=version)
        await self._broker.publish(status.model_dump_json().encode(), topics.SERVICE_STATUS,
                                   key=status.partition_key(),
                                   headers=event_headers(str(status.event_id), type(status).__name__))
        return False

    async def run_forever(self) -> None:
        await run_rounds(self.report, lambda: asyncio.sleep(self._interval_seconds), what="status report")
