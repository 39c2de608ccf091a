"""Composition root of the waitlist service."""

from fastapi import FastAPI

from platform_shared import topics
from platform_shared.clock import SystemClock
from platform_shared.consumer import ConsumerSpec
from platform_shared.contracts import DrawCompleted, NotificationRequested
from platform_shared.runtime import ServiceRuntime
from waitlist_service.api import offers_router
from waitlist_service.offers import OfferService
from waitlist_service.settings import WaitlistSettings


def build_app(settings: WaitlistSettings) -> FastAPI:
    runtime = ServiceRuntime.create("waitlist", settings)
    offers = OfferService(runtime.sessions, SystemClock())
    runtime.consume_policy()
    runtime.consume(ConsumerSpec(topics.DRAW_COMPLETED, "waitlist", DrawCompleted, offers.record_draw))
    runtime.publishes(topics.NOTIFICATION_REQUESTED, NotificationRequested)
    return runtime.build_app([offers_router(offers)])
