"""The incident part of the composition root (seed §1, §13): its use cases on PostgreSQL units of work, the
banner sources the public endpoint merges, and the `#ops-incident` relay (started only with a webhook URL)."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.service.runtime import ServiceRuntime
from policy_service.adapters.incident_store import IncidentStores
from policy_service.adapters.webhook import Webhook
from policy_service.application.banner_board import BannerBoard, BannerSource, PolicyBannerSource, StoredBannerSource
from policy_service.application.first_response import FirstResponses
from policy_service.application.incident_post_relay import IncidentPostRelay, refresh_pending
from policy_service.application.incident_steps import Posting
from policy_service.application.incidents import Incidents
from policy_service.application.stored_banners import StoredBanners
from policy_service.domain.incident_posts import Retry
from policy_service.settings import PolicySettings


def banner_sources(runtime: ServiceRuntime) -> tuple[BannerSource, ...]:
    """Every source of `GET /banners`, in the order they are listed; add a source here (a Kakao outage's)."""
    return StoredBannerSource(runtime.sessions), PolicyBannerSource(runtime.sessions)


def runtime_incident_use_cases(runtime: ServiceRuntime, settings: PolicySettings) -> list[object]:
    units = UnitsOfWork(runtime.sessions, runtime.clock, IncidentStores.on)
    posting = Posting(settings.ops_incident_webhook_url is not None)
    return [Incidents(units, posting), FirstResponses(units, posting), StoredBanners(units, posting),
            BannerBoard(banner_sources(runtime), runtime.clock)]


def wire_incidents(runtime: ServiceRuntime, settings: PolicySettings) -> Callable[[], Awaitable[None]]:
    """The pending-posts gauge on `/metrics`, and what starts the relay with the service."""
    runtime.metrics.add(refresh_pending)

    async def start_relay() -> None:
        if settings.ops_incident_webhook_url is None:
            return
        relay = IncidentPostRelay(
            runtime.sessions, runtime.clock,
            Webhook(settings.ops_incident_webhook_url.get_secret_value(), settings.ops_incident_timeout_seconds),
            Retry(timedelta(seconds=settings.ops_incident_retry_seconds), settings.ops_incident_attempts),
            settings.ops_incident_poll_seconds)
        runtime.background.append(asyncio.create_task(relay.run_forever(), name="ops-incident-posts"))

    return start_relay
