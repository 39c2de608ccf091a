"""Composition root of the notifier service."""

import asyncio
from datetime import timedelta

from fastapi import FastAPI

from notifier_service import metrics
from notifier_service.access import ACCESS
from notifier_service.adapters.dead_notifications import SEND_QUEUE, SENDER_GROUP, DeadNotifications
from notifier_service.adapters.vendor import HttpVendor
from notifier_service.application.dashboard import Dashboard
from notifier_service.application.fix_template import FixTemplate
from notifier_service.application.pause_sending import PauseSending
from notifier_service.application.queries import NotificationQueries
from notifier_service.application.resend import ResendSegment
from notifier_service.application.send_round import Sender, SenderConfig
from notifier_service.domain.links import AnswerLinks
from notifier_service.entrypoints.http import api
from notifier_service.entrypoints.kafka.intake import NotificationIntake
from notifier_service.settings import NotifierSettings
from platform_shared.contracts import topics
from platform_shared.contracts.events import (
    DrawRolledBack,
    NotificationDeadLettered,
    NotificationDelivered,
    NotificationRequested,
    NotificationUndeliverable,
)
from platform_shared.messaging.consumer import ConsumerSpec
from platform_shared.service.runtime import ServiceRuntime
from platform_shared.web.use_cases import provide


def build_app(settings: NotifierSettings) -> FastAPI:
    runtime = ServiceRuntime.create("notifier", settings)
    clock = runtime.clock
    runtime.consume_policy()
    runtime.metrics.add(metrics.refresher(runtime.clock))
    intake = NotificationIntake(clock)
    runtime.consume(ConsumerSpec(topics.NOTIFICATION_REQUESTED, "notifier", NotificationRequested, intake.enqueue,
                                 handle_batch=intake.enqueue_many))
    runtime.consume(ConsumerSpec(topics.DRAW_ROLLED_BACK, "notifier.rollbacks", DrawRolledBack, intake.cancel_run))
    runtime.publishes(topics.DEAD_LETTER, NotificationDeadLettered)
    runtime.publishes(topics.NOTIFICATION_DELIVERED, NotificationDelivered)
    runtime.publishes(topics.NOTIFICATION_UNDELIVERABLE, NotificationUndeliverable)
    runtime.redrives.return_to_queue(SENDER_GROUP, DeadNotifications(runtime.sessions, clock).requeue)
    runtime.metrics.keeps_letters_of(SEND_QUEUE)
    vendor = HttpVendor(settings.vendor_url, settings.vendor_timeout_seconds, clock)
    sender = Sender(runtime.sessions, clock, vendor, SenderConfig(
        batch_size=settings.send_batch_size, concurrency=settings.send_concurrency,
        lease=timedelta(seconds=settings.claim_lease_seconds), poll_seconds=settings.send_poll_seconds,
        vendor_batch=settings.vendor_batch_size, call_timeout=timedelta(seconds=settings.vendor_timeout_seconds)),
        links=AnswerLinks(settings.offer_link_base, settings.offer_link_secret.get_secret_value()))

    async def start_sender() -> None:
        runtime.background.append(asyncio.create_task(sender.run_forever(), name="sender"))

    app = runtime.build_app([api.router], ACCESS, on_start=[start_sender])
    provide(app, NotificationQueries(runtime.sessions), Dashboard(runtime.sessions, clock),
                PauseSending(runtime.sessions, clock), FixTemplate(runtime.sessions, clock),
                ResendSegment(runtime.sessions, clock))
    return app
