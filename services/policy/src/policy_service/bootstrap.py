"""Composition root of the policy service. Incidents and banners (seed §1, §13): their use cases on PostgreSQL
units of work, the banner sources `GET /banners` merges, and the `#ops-incident` relay (only with a webhook URL)."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import FastAPI

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.auth.tokens import SigningKey, TokenSigner
from platform_shared.contracts import topics
from platform_shared.contracts.events import AdminAccountChanged, AdminSessionEnded, PolicyChanged, ServiceStatus
from platform_shared.contracts.kakao_health import KakaoLoginWindow
from platform_shared.messaging.consumer import ConsumerSpec
from platform_shared.service.runtime import ServiceRuntime
from platform_shared.web.use_cases import provide
from policy_service.access import ACCESS
from policy_service.adapters.backup_files import BackupDirectory
from policy_service.adapters.incident_store import IncidentStores
from policy_service.adapters.webhook import Webhook
from policy_service.application.accounts import AccountService
from policy_service.application.banner_board import BannerBoard, BannerSource, PolicyBannerSource, StoredBannerSource
from policy_service.application.first_response import FirstResponses
from policy_service.application.fleet_propagation import FleetPropagation
from policy_service.application.incident_post_relay import IncidentPostRelay, refresh_pending
from policy_service.application.incident_steps import Posting
from policy_service.application.incidents import Incidents
from policy_service.application.kakao_outages import KakaoOutageBanners, KakaoOutages
from policy_service.application.kakao_windows import record_login_window
from policy_service.application.login_sessions import Logins
from policy_service.application.login_throttle import LoginThrottle
from policy_service.application.policy_backups import PolicyBackups
from policy_service.application.policy_changes import PolicyChanges, sql_units
from policy_service.application.policy_in_force import PolicyService
from policy_service.application.resets import ResetService
from policy_service.application.scheduled_backups import BackupSchedule, run_backup_scheduler
from policy_service.application.stored_banners import StoredBanners
from policy_service.domain.incident_posts import Retry
from policy_service.domain.propagation import LatestReports
from policy_service.entrypoints.http import backups, banners, identity, incidents, policy, resets
from policy_service.entrypoints.http.kakao import kakao_router
from policy_service.settings import PolicySettings


def build_app(settings: PolicySettings) -> FastAPI:
    # Ordered: policy snapshots and admin account states go to compacted topics, where the last one wins.
    runtime = ServiceRuntime.create("policy", settings, ordered_outbox=True)
    sessions, clock = runtime.sessions, runtime.clock
    policies = PolicyService(sessions, clock)
    signing_key = SigningKey(settings.token_key_id, settings.token_signing_key.get_secret_value())
    # Policy reads its own topic too, so /health shows the version every consumer actually received.
    runtime.consume_policy()
    runtime.publishes(topics.POLICY_CHANGED, PolicyChanged)
    runtime.publishes(topics.ADMIN_ACCOUNTS, AdminAccountChanged)
    runtime.publishes(topics.ADMIN_SESSIONS, AdminSessionEnded)
    reports = LatestReports()
    runtime.follow(topics.SERVICE_STATUS, ServiceStatus, reports.apply,
                   "Each process's newest report of the policy version it runs on.")
    # Every Kakao edge replica's login windows: the fleet's outages and their banners (seed §9.3).
    runtime.consume(ConsumerSpec(topics.KAKAO_LOGIN_HEALTH, "policy.kakao", KakaoLoginWindow, record_login_window))
    on_start: list[Callable[[], Awaitable[None]]] = [policies.publish_defaults_if_empty]
    policy_backups = None if settings.backup_directory is None else \
        PolicyBackups(sessions, clock, BackupDirectory(settings.backup_directory), signing_key)
    if policy_backups is not None:
        schedule = BackupSchedule(settings.backup_schedule, settings.backup_keep_days)

        async def start_backups() -> None:
            runtime.background.append(asyncio.create_task(run_backup_scheduler(policy_backups, schedule),
                                                          name="policy-backups"))

        on_start.append(start_backups)
    on_start.append(wire_incidents(runtime, settings))
    app = runtime.build_app([policy.router, identity.router, resets.router, backups.router, incidents.router,
                             banners.router, kakao_router(clock)], ACCESS, on_start=on_start)
    fleet = FleetPropagation(policies, reports, clock, timedelta(seconds=settings.status_interval_seconds))
    throttle = LoginThrottle(settings.login_rate_per_address, settings.login_rate_per_name)
    provide(app, policies, PolicyChanges(sql_units(sessions, clock)), fleet,
            Logins(sessions, clock, TokenSigner(signing_key, clock), throttle), AccountService(sessions, clock),
            ResetService(sessions, clock, throttle))
    kakao_outages = KakaoOutages(sessions, clock)
    kakao_banners = KakaoOutageBanners(kakao_outages, policies)
    provide(app, kakao_outages, kakao_banners)
    identity.provide_keys(app, settings.admin_token_jwks)
    backups.provide(app, policy_backups)
    provide(app, *incident_use_cases(runtime, settings, banner_sources(runtime, kakao_banners)))
    return app


def banner_sources(runtime: ServiceRuntime, kakao: KakaoOutageBanners) -> tuple[BannerSource, ...]:
    """Every source of `GET /banners`, in the order they are listed: set by hand or with an incident, the policy
    document's own (§5), a Kakao outage's and the retry banner after it (§9.2, §9.3)."""
    return StoredBannerSource(runtime.sessions), PolicyBannerSource(runtime.sessions), kakao


def incident_use_cases(runtime: ServiceRuntime, settings: PolicySettings,
                       sources: tuple[BannerSource, ...]) -> list[object]:
    units = UnitsOfWork(runtime.sessions, runtime.clock, IncidentStores.on)
    posting = Posting(settings.ops_incident_webhook_url is not None)
    return [Incidents(units, posting), FirstResponses(units, posting), StoredBanners(units, posting),
            BannerBoard(sources, runtime.clock)]


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
