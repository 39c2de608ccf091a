"""Composition root of the lottery service."""

from fastapi import FastAPI

from lottery_service.api import draws_router
from lottery_service.draws import DrawService
from lottery_service.settings import LotterySettings
from platform_shared import topics
from platform_shared.contracts import DrawCompleted
from platform_shared.runtime import ServiceRuntime


def build_app(settings: LotterySettings) -> FastAPI:
    runtime = ServiceRuntime.create("lottery", settings)
    runtime.consume_policy()
    draws = DrawService(runtime.sessions, settings.draw_server_secret.get_secret_value(),
                        results_per_part=settings.results_per_part)
    runtime.publishes(topics.DRAW_COMPLETED, DrawCompleted)
    return runtime.build_app([draws_router(draws)])
