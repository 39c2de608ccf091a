"""Composition root of the lottery service."""

from datetime import timedelta

from fastapi import FastAPI

from lottery_service.access import ACCESS
from lottery_service.adapters.beacon import BeaconClient
from lottery_service.application.adgate_report import AdGateReport
from lottery_service.application.campaign_pages import CampaignPages
from lottery_service.application.close_entries import CloseEntries
from lottery_service.application.committed_rounds import CommittedRounds
from lottery_service.application.correct_duplicates import CorrectDuplicates
from lottery_service.application.correct_places import CorrectPlaces
from lottery_service.application.create_draw import CreateDraw
from lottery_service.application.draw_queries import DrawQueries
from lottery_service.application.dry_run import DryRun
from lottery_service.application.enter import Enter
from lottery_service.application.exclude_entrants import ExcludeEntrants
from lottery_service.application.execute_draw import ExecuteDraw
from lottery_service.application.export_run import ExportRun
from lottery_service.application.import_entries import ImportEntries
from lottery_service.application.public_commitments import PublicCommitments
from lottery_service.application.recalculate_weights import RecalculateWeights
from lottery_service.application.reopen_draw import ReopenDraw
from lottery_service.application.rollback_run import RollbackRun
from lottery_service.application.run_results import RunResults
from lottery_service.application.seeds import SeedSource
from lottery_service.application.send_notice import SendNotice
from lottery_service.application.units import sql_units
from lottery_service.application.verify_run import VerifyRun
from lottery_service.application.verify_sponsor_return import VerifySponsorReturn
from lottery_service.entrypoints.http import adgate, commitments, draws, entrants, entries, notices, runs
from lottery_service.metrics import observe_beacon
from lottery_service.settings import LotterySettings
from platform_shared.contracts import topics
from platform_shared.contracts.events import DrawCompleted, DrawRolledBack, NotificationRequested
from platform_shared.service.runtime import ServiceRuntime
from platform_shared.web.entrants_api import entrants_router
from platform_shared.web.use_cases import provide


def build_app(settings: LotterySettings) -> FastAPI:
    runtime = ServiceRuntime.create("lottery", settings)
    runtime.consume_policy()
    runtime.publishes(topics.DRAW_COMPLETED, DrawCompleted)
    runtime.publishes(topics.DRAW_ROLLED_BACK, DrawRolledBack)
    runtime.publishes(topics.NOTIFICATION_REQUESTED, NotificationRequested)  # notices (seed §14)
    seeds, clock, sessions = SeedSource(settings.draw_server_secret.get_secret_value()), runtime.clock, runtime.sessions
    units = sql_units(sessions, clock)
    # The public randomness the keys are mixed with (docs/draw-algorithm.md §8.4): the configured drand chain.
    beacon_chain = settings.beacon_chain()
    client = BeaconClient(beacon_chain, clock, settings.beacon_timeout_seconds, observe_beacon)
    rounds = CommittedRounds(sessions, client, clock, settings.beacon_max_wait_seconds)
    app = runtime.build_app([draws.router, commitments.router, entries.router, runs.router, adgate.router,
                             notices.router, entrants.router,
                             entrants_router(runtime.kakao)], ACCESS)
    provide(app,
            DrawQueries(sessions), CreateDraw(sessions, clock), CloseEntries(units, seeds, beacon_chain),
            CorrectPlaces(sessions, clock), ReopenDraw(sessions, seeds, clock), DryRun(sessions, seeds, clock),
            ImportEntries(sessions, clock), CorrectDuplicates(sessions, clock), ExcludeEntrants(sessions, clock),
            RecalculateWeights(sessions, clock),
            ExecuteDraw(units, seeds, settings.results_per_part, rounds), VerifyRun(sessions, seeds),
            PublicCommitments(sessions, clock),
            ExportRun(sessions, seeds), RollbackRun(units), RunResults(sessions),
            CampaignPages(sessions, clock), Enter(sessions, clock, seeds),
            VerifySponsorReturn(sessions, clock, settings.adgate_secret.get_secret_value().encode(),
                                timedelta(seconds=settings.adgate_return_validity_seconds)),
            AdGateReport(sessions), SendNotice(sessions, clock))
    return app
