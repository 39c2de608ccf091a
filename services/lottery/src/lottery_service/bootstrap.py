"""Composition root of the lottery service."""

from datetime import timedelta

from fastapi import FastAPI

from lottery_service.access import ACCESS
from lottery_service.application.adgate_report import AdGateReport
from lottery_service.entrypoints.http.adgate import adgate_router
from lottery_service.entrypoints.http.draws import draws_router
from lottery_service.entrypoints.http.entrants import campaigns_router
from lottery_service.entrypoints.http.entries import entries_router
from lottery_service.entrypoints.http.runs import runs_router
from lottery_service.application.bundles import BundleService
from lottery_service.application.draws import DrawService
from lottery_service.application.dry_run import DryRunService
from lottery_service.application.entrants import EntrantService
from lottery_service.application.entries import EntryService
from lottery_service.application.reopenings import ReopenService
from lottery_service.application.runs import RunService
from lottery_service.application.seeds import SeedSource
from lottery_service.settings import LotterySettings
from platform_shared.contracts import topics
from platform_shared.contracts.events import DrawCompleted, DrawRolledBack
from platform_shared.service.runtime import ServiceRuntime
from platform_shared.web.entrants_api import entrants_router


def build_app(settings: LotterySettings) -> FastAPI:
    runtime = ServiceRuntime.create("lottery", settings)
    runtime.consume_policy()
    runtime.publishes(topics.DRAW_COMPLETED, DrawCompleted)
    runtime.publishes(topics.DRAW_ROLLED_BACK, DrawRolledBack)
    seeds, clock, sessions = SeedSource(settings.draw_server_secret.get_secret_value()), runtime.clock, runtime.sessions
    return runtime.build_app([
        draws_router(DrawService(sessions, seeds, clock), DryRunService(sessions, seeds, clock),
                     ReopenService(sessions, seeds, clock)),
        entries_router(EntryService(sessions, clock)),
        runs_router(RunService(sessions, seeds, clock, settings.results_per_part), BundleService(sessions, seeds)),
        adgate_router(AdGateReport(sessions)),
        campaigns_router(EntrantService(sessions, clock, seeds, settings.adgate_secret.get_secret_value().encode(),
                                       timedelta(seconds=settings.adgate_return_validity_seconds))),
        entrants_router(runtime.kakao),
    ], ACCESS)
