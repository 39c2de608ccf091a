"""Business metrics on every service's `/metrics` (seed §6): what ops watch and
deploy/prometheus/alerts.yml alerts on. Gauges that come from the database are refreshed at each scrape
(a handful of aggregates, each bounded by an index or a small table); events (a vendor call, a draw, a
promotion pass) are observed where they happen. Ages are computed by the database against its own
timestamps, never one clock against another."""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from prometheus_client import Gauge
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.messaging.consumer_controls import ConsumerControls
from platform_shared.messaging.policy_cache import current_policy
from platform_shared.messaging.tables import ConsumerReplica, DeadLetterRecord
from platform_shared.time.clock import Clock

log = logging.getLogger(__name__)

OUTBOX_BACKLOG = Gauge("outbox_backlog", "Events written but not yet published to Kafka")
OUTBOX_OLDEST = Gauge("outbox_oldest_unpublished_seconds", "Age of the oldest unpublished event (0: none)")
DEAD_LETTERS = Gauge("dead_letters", "Dead letters this service's consumers produced, by source topic and reason "
                     "(the exception type), not yet redriven", ["topic", "reason"])
DEAD_LETTERS_KEPT = Gauge("dead_letters_kept", "Every dead letter this service has kept, by source topic, redriven or "
                          "not: it only grows, from 0 for each topic its consumers read (what alerts watch)",
                          ["topic"])
CONSUMER_LAG = Gauge("consumer_lag", "Records of the group's topic not yet committed, summed over the replicas "
                     "that reported in the last minute", ["group"])
CONSUMER_PAUSED = Gauge("consumer_paused", "1 while ops hold the consumer group paused", ["group"])
POLICY_VERSION = Gauge("policy_version", "The policy version this service runs on")
REFRESH_OK = Gauge("metrics_refresh_ok", "1 if the last scrape could read the database, else 0")

Refresher = Callable[[AsyncSession], Awaitable[None]]
MIN_INTERVAL_SECONDS = 5.0
"""Prometheus scrapes every 15 s; more often than this, a scrape gets the values read for the last one."""


class BusinessMetrics:
    """The database-backed gauges of one service: the shared ones, plus what the service adds."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], controls: ConsumerControls, clock: Clock) -> None:
        self._sessions = sessions
        self._controls = controls
        self._clock = clock
        self._refreshers: list[Refresher] = [self._messaging]
        self._letter_sources: set[str] = set()
        self._lock = asyncio.Lock()
        self._refreshed_at: float | None = None

    def add(self, refresher: Refresher) -> None:
        self._refreshers.append(refresher)

    def keeps_letters_of(self, source: str) -> None:
        """A source of dead letters besides the topics its consumers read (the notifier's own send queue)."""
        self._letter_sources.add(source)

    def letter_sources(self) -> set[str]:
        return set(self._controls.consumers.values()) | self._letter_sources

    def start_at_zero(self) -> None:
        """Every series an alert or a panel reads exists from start-up, at 0 until something happens: an alert
        over `delta()` cannot see a series appear from nothing (its first sample has nothing to differ from), so
        a service's first dead letter would otherwise go unnoticed (alerts_test.yml)."""
        for source in self.letter_sources():
            DEAD_LETTERS_KEPT.labels(source)
        for group in self._controls.consumers:
            CONSUMER_LAG.labels(group)
            CONSUMER_PAUSED.labels(group)

    async def refresh(self) -> None:
        """Before a scrape, at most once per `MIN_INTERVAL` and one at a time (scrapes are public: many of them
        must not become many aggregate queries); a database that does not answer leaves the last values and
        says so."""
        async with self._lock:
            if self._refreshed_at is not None and time.monotonic() - self._refreshed_at < MIN_INTERVAL_SECONDS:
                return
            self.start_at_zero()  # before the database is asked: the series exist even if it does not answer
            await self._refresh()
            self._refreshed_at = time.monotonic()

    async def _refresh(self) -> None:
        try:
            async with self._sessions() as session:
                for refresher in self._refreshers:
                    await refresher(session)
        except Exception as error:  # the scrape still answers: an outage must not blind the alerts
            log.warning("metrics refresh failed: %s", type(error).__name__)
            REFRESH_OK.set(0)
        else:
            REFRESH_OK.set(1)

    async def _messaging(self, session: AsyncSession) -> None:
        backlog, oldest = (await session.execute(text(
            "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0) "
            "FROM outbox_messages WHERE published_at IS NULL"))).one()
        OUTBOX_BACKLOG.set(backlog)
        OUTBOX_OLDEST.set(float(oldest))
        letters = (await session.execute(
            select(DeadLetterRecord.original_topic, DeadLetterRecord.exception_type, func.count())
            .where(DeadLetterRecord.replayed_at.is_(None))
            .group_by(DeadLetterRecord.original_topic, DeadLetterRecord.exception_type))).all()
        DEAD_LETTERS.clear()
        for topic, reason, count in letters:
            DEAD_LETTERS.labels(topic, reason).set(count)
        kept = dict((await session.execute(
            select(DeadLetterRecord.original_topic, func.count()).group_by(DeadLetterRecord.original_topic))).all())
        for source in self.letter_sources() | set(kept):
            DEAD_LETTERS_KEPT.labels(source).set(kept.get(source, 0))
        recent = self._clock.now() - self._controls.silent_after()
        lags = dict((await session.execute(
            select(ConsumerReplica.group_id, func.coalesce(func.sum(ConsumerReplica.lag), 0))
            .where(ConsumerReplica.reported_at >= recent).group_by(ConsumerReplica.group_id))).all())
        for group in self._controls.consumers:
            CONSUMER_LAG.labels(group).set(lags.get(group) or 0)
            CONSUMER_PAUSED.labels(group).set(1 if self._controls.holds(group) else 0)
        version, _ = await current_policy(session)
        POLICY_VERSION.set(version)
