"""Composition root of the policy service."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import FastAPI

from platform_shared.auth.tokens import SigningKey, TokenSigner
from platform_shared.contracts import topics
from platform_shared.contracts.events import AdminAccountChanged, PolicyChanged, ServiceStatus
from platform_shared.service.runtime import ServiceRuntime
from policy_service.access import ACCESS
from policy_service.application.accounts import AccountService
from policy_service.adapters.backup_files import BackupDirectory
from policy_service.entrypoints.http.policy import policy_router
from policy_service.application.take_backup import BackupSchedule, PolicyBackups
from policy_service.entrypoints.http.backups import backups_router
from policy_service.application.policy_changes import PolicyChanges, sql_units
from policy_service.domain.propagation import LatestReports
from policy_service.entrypoints.http.identity import identity_router, reset_router
from policy_service.application.logins import LoginService
from policy_service.application.policy_in_force import PolicyService
from policy_service.application.resets import ResetService
from policy_service.settings import PolicySettings


def build_app(settings: PolicySettings) -> FastAPI:
    # Ordered: policy snapshots and admin account states go to compacted topics, where the last one wins.
    runtime = ServiceRuntime.create("policy", settings, ordered_outbox=True)
    sessions, clock = runtime.sessions, runtime.clock
    policies = PolicyService(sessions, clock)
    signing_key = SigningKey(settings.token_key_id, settings.token_signing_key.get_secret_value())
    signer = TokenSigner(signing_key, clock)
    # Policy reads its own topic too, so /health shows the version every consumer actually received.
    runtime.consume_policy()
    runtime.publishes(topics.POLICY_CHANGED, PolicyChanged)
    runtime.publishes(topics.ADMIN_ACCOUNTS, AdminAccountChanged)
    reports = LatestReports()
    runtime.follow(topics.SERVICE_STATUS, ServiceStatus, reports.apply,
                   "Each process's newest report of the policy version it runs on.")
    routers = [policy_router(policies, PolicyChanges(sql_units(sessions, clock)), reports, clock,
                             timedelta(seconds=settings.status_interval_seconds)),
               identity_router(LoginService(sessions, clock, signer), AccountService(sessions, clock),
                               settings.admin_token_jwks),
               reset_router(ResetService(sessions, clock))]
    on_start: list[Callable[[], Awaitable[None]]] = [policies.publish_defaults_if_empty]
    backups = None if settings.backup_directory is None else \
        PolicyBackups(sessions, clock, BackupDirectory(settings.backup_directory), signing_key)
    routers.append(backups_router(backups))
    if backups is not None:
        schedule = BackupSchedule(settings.backup_schedule, settings.backup_keep_days)

        async def start_backups() -> None:
            runtime.background.append(asyncio.create_task(backups.run_scheduler(schedule), name="policy-backups"))

        on_start.append(start_backups)
    return runtime.build_app(routers, ACCESS, on_start=on_start)
