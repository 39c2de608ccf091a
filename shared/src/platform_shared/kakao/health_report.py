"""Each Kakao edge replica reports its login windows (windows.py) through its outbox, every few seconds and only
when one changed (seed §9.3: the failures of an outage counted across all replicas, not per process memory).
Through the outbox, not straight to Kafka: a report the broker did not take is sent by the relay later. Each round
first lets the replica ask a silent issuer again (`probe`), so its recovery is reported even without entrants."""

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.contracts import topics
from platform_shared.contracts.kakao_health import KakaoLoginWindow
from platform_shared.kakao.windows import LoginWindows, WindowSnapshot
from platform_shared.messaging.outbox import OutboxRelay, enqueue
from platform_shared.rounds import run_rounds
from platform_shared.time.clock import Clock


class KakaoHealthReporter:
    def __init__(self, service: str, instance: str, windows: LoginWindows, *,
                 sessions: async_sessionmaker[AsyncSession], relay: OutboxRelay, clock: Clock,
                 interval_seconds: float, probe: Callable[[], Awaitable[None]]) -> None:
        self._service, self._instance, self._windows = service, instance, windows
        self._sessions, self._relay, self._clock = sessions, relay, clock
        self._interval_seconds, self._probe = interval_seconds, probe

    async def report(self) -> bool:
        """One round: the changed windows into the outbox. Never busy: the next round waits its interval."""
        await self._probe()
        snapshots = self._windows.pending()
        if snapshots:
            async with self._sessions.begin() as session:
                await enqueue(session, topics.KAKAO_LOGIN_HEALTH, [self._event(s) for s in snapshots])
            self._relay.wake()
        self._windows.reported(snapshots, self._clock.now())
        return False

    async def run_forever(self) -> None:
        await run_rounds(self.report, lambda: asyncio.sleep(self._interval_seconds), what="Kakao login report")

    def _event(self, window: WindowSnapshot) -> KakaoLoginWindow:
        return KakaoLoginWindow(occurred_at=self._clock.now(), service=self._service, instance=self._instance,
                                window_start=window.start, window_end=window.end, revision=window.revision,
                                failures=window.failures, issuer_down=window.issuer_down,
                                issuer_up=window.issuer_up, recovered_at=window.recovered_at)
