"""Sending `#ops-incident` posts (seed §1): a background round, like the outbox relay, takes the posts that are
due (one replica each: SKIP LOCKED), sends each with a short timeout, and marks it sent, or due again after a
doubling wait, or failed after the last attempt — a failure is visible on the incident and in `/metrics`."""

import asyncio
import logging

from prometheus_client import Counter, Gauge
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.rounds import run_rounds
from platform_shared.time.clock import Clock
from policy_service.adapters.incident_store import SqlIncidentStore
from policy_service.adapters.webhook import Webhook, WebhookError
from policy_service.domain.incident_posts import Retry

log = logging.getLogger(__name__)
POSTS_FAILED = Counter("ops_incident_posts_failed", "#ops-incident posts given up after their last attempt")
POSTS_PENDING = Gauge("ops_incident_posts_pending", "#ops-incident posts waiting to be sent (retries included)")
BATCH = 20


async def refresh_pending(session: AsyncSession) -> None:
    """Before each scrape (BusinessMetrics): counted across every replica, from the table."""
    POSTS_PENDING.set(await SqlIncidentStore(session).pending_posts())


class IncidentPostRelay:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, webhook: Webhook, retry: Retry,
                 poll_seconds: float) -> None:
        self._sessions = sessions
        self._clock = clock
        self._webhook = webhook
        self._retry = retry
        self._poll_seconds = poll_seconds

    async def one_round(self) -> bool:
        """Send what is due; True when a full batch went (more may be waiting)."""
        async with self._sessions.begin() as session:
            posts = await SqlIncidentStore(session).claim_due_posts(self._clock.now(), BATCH)
            for post in posts:
                post.attempts += 1
                try:
                    await self._webhook.post(post.body)
                except WebhookError as error:
                    post.last_error = str(error)
                    post.status, post.next_attempt_at = self._retry.after_failure(post.attempts, self._clock.now())
                    if post.status == "failed":
                        POSTS_FAILED.inc()
                        log.warning("#ops-incident post %s failed for good after %d attempts: %s", post.id,
                                    post.attempts, error)
                else:
                    post.status, post.sent_at, post.next_attempt_at = "sent", self._clock.now(), None
        return len(posts) == BATCH

    async def run_forever(self) -> None:
        try:
            await run_rounds(self.one_round, lambda: asyncio.sleep(self._poll_seconds), what="#ops-incident posts")
        finally:
            await self._webhook.close()
