"""A service's goodbye to Kafka, bounded. By the time the broker is stopped every handler has finished, offsets
are committed after each record and the outbox relay has stopped (anything it had not seen acknowledged is still
unpublished in the outbox, sent again by the next replica), so what is left is leaving the groups and closing
connections. aiokafka can wait for ever closing one TLS connection to a broker that stopped reading it; a process
that never exits is killed by its supervisor without forgetting its replica row or closing its database pool, so
the goodbye gets a bound and the rest of the shutdown runs."""

import asyncio
import logging
from typing import Protocol

GOODBYE_SECONDS = 5.0
_log = logging.getLogger(__name__)


class Stoppable(Protocol):
    async def stop(self) -> None: ...


async def stop_within(broker: Stoppable, seconds: float = GOODBYE_SECONDS) -> bool:
    """Stop `broker`, giving it `seconds`; False (and a warning) when it did not finish in time."""
    try:
        await asyncio.wait_for(broker.stop(), timeout=seconds)
    except TimeoutError:
        _log.warning("Kafka clients not closed within %.0f s: shutting down without them", seconds)
        return False
    return True
