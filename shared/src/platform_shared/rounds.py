"""The background loops of a service (outbox relay, notifier sender, promotion scheduler) in one shape."""

import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def run_rounds(one_round: Callable[[], Awaitable[bool]], idle: Callable[[], Awaitable[None]], *,
                     what: str) -> None:
    """Forever: one round, then `idle()` unless the round reports more work waiting. A failing round is
    logged and counts as idle, so the next one retries: a broker or database outage heals on its own."""
    while True:
        try:
            busy = await one_round()
        except Exception:
            log.exception("%s failed; the next round retries", what)
            busy = False
        if not busy:
            await idle()
