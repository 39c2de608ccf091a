"""A broker whose goodbye never ends does not keep the process from shutting down; one that ends is waited for."""

import asyncio
import time

from platform_shared.messaging.broker_stop import stop_within


class Hanging:
    async def stop(self) -> None:
        await asyncio.Event().wait()  # a TLS close the broker never answers


class Prompt:
    stopped = False

    async def stop(self) -> None:
        await asyncio.sleep(0.01)
        self.stopped = True


async def test_a_goodbye_that_never_ends_is_abandoned_after_its_bound() -> None:
    started = time.monotonic()
    assert await stop_within(Hanging(), seconds=0.2) is False
    assert time.monotonic() - started < 1


async def test_a_goodbye_that_ends_is_waited_for() -> None:
    broker = Prompt()
    assert await stop_within(broker, seconds=5) is True and broker.stopped
