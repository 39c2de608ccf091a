"""Composition root of the waitlist service."""

import asyncio

from fastapi import FastAPI

from platform_shared.contracts import topics
from platform_shared.contracts.events import (
    DrawCompleted,
    DrawRolledBack,
    NotificationDelivered,
    NotificationRequested,
    NotificationUndeliverable,
    WaitlistExhausted,
    WaitlistPromoted,
)
from platform_shared.messaging.consumer import ConsumerSpec
from platform_shared.service.runtime import ServiceRuntime
from platform_shared.web.entrants_api import entrants_router
from platform_shared.web.use_cases import provide
from waitlist_service.access import ACCESS
from waitlist_service.adapters.run_store import RunStore
from waitlist_service.application.ports import Stores
from waitlist_service.application.promotion import PromotionService
from waitlist_service.application.queries import WaitlistQueries
from waitlist_service.domain.answers import LinkSecret
from waitlist_service.entrypoints.http import routes
from waitlist_service.entrypoints.kafka.intake import DrawIntake
from waitlist_service.settings import WaitlistSettings

SQL_STORES: Stores = RunStore
"""The use cases' storage in PostgreSQL (mypy proves `RunStore` a whole `SeatStore`: no method missing, none
mistyped)."""


def build_app(settings: WaitlistSettings) -> FastAPI:
    runtime = ServiceRuntime.create("waitlist", settings)
    clock = runtime.clock
    intake = DrawIntake(clock, SQL_STORES)
    link_secret = LinkSecret(settings.offer_link_secret.get_secret_value())
    promotion = PromotionService(runtime.sessions, clock, SQL_STORES, link_secret=link_secret)
    runtime.consume_policy()
    for spec in consumer_specs(intake):
        runtime.consume(spec)
    runtime.publishes(topics.NOTIFICATION_REQUESTED, NotificationRequested)
    runtime.publishes(topics.WAITLIST_PROMOTED, WaitlistPromoted)
    runtime.publishes(topics.WAITLIST_EXHAUSTED, WaitlistExhausted)

    async def start_scheduler() -> None:
        runtime.background.append(asyncio.create_task(
            promotion.run_scheduler(settings.promotion_interval_seconds), name="promotion-scheduler"))

    app = runtime.build_app([routes.router, entrants_router(runtime.kakao)], ACCESS, on_start=[start_scheduler])
    provide(app, promotion, WaitlistQueries(runtime.sessions, link_secret))
    return app


def consumer_specs(intake: DrawIntake) -> list[ConsumerSpec]:
    """The waitlist's consumers: which topic, which group, which handler (also wired in the unit tier)."""
    return [
        ConsumerSpec(topics.DRAW_COMPLETED, "waitlist", DrawCompleted, intake.record_draw),
        ConsumerSpec(topics.DRAW_ROLLED_BACK, "waitlist.rollbacks", DrawRolledBack, intake.void_run),
        ConsumerSpec(topics.NOTIFICATION_DELIVERED, "waitlist.deliveries", NotificationDelivered,
                     intake.extend_deadline),
        ConsumerSpec(topics.NOTIFICATION_UNDELIVERABLE, "waitlist.undeliverable", NotificationUndeliverable,
                     intake.start_window_undelivered),
    ]
