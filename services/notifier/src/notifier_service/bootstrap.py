"""Composition root of the notifier service."""

import asyncio
from datetime import timedelta

from fastapi import FastAPI

from notifier_service import metrics
from notifier_service.access import ACCESS
from notifier_service.adapters.contacts import ContactBook
from notifier_service.adapters.dead_notifications import SEND_QUEUE, SENDER_GROUP, DeadNotifications
from notifier_service.adapters.mailer import SmtpMailer, SmtpServer
from notifier_service.adapters.vendor import HttpVendor
from notifier_service.application.contacts import KeepContacts
from notifier_service.application.dashboard import Dashboard
from notifier_service.application.email_channel import EmailChannel
from notifier_service.application.fix_template import FixTemplate
from notifier_service.application.pause_sending import PauseSending
from notifier_service.application.queries import NotificationQueries
from notifier_service.application.resend import ResendSegment
from notifier_service.application.send_round import Sender, SenderConfig
from notifier_service.application.vendor_watch import VendorWatch
from notifier_service.domain.links import AnswerLinks
from notifier_service.entrypoints.http import api, contacts
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
from platform_shared.time.clock import Clock
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
        links=AnswerLinks(settings.offer_link_base, settings.offer_link_secret.get_secret_value()),
        email=email_channel(settings, runtime, clock))
    watch = VendorWatch(vendor.status, clock, settings.vendor_probe_seconds)

    async def start_rounds() -> None:
        runtime.background.append(asyncio.create_task(sender.run_forever(), name="sender"))
        runtime.background.append(asyncio.create_task(watch.run_forever(), name="vendor probe"))

    app = runtime.build_app([api.router, contacts.router], ACCESS, on_start=[start_rounds])
    provide(app, NotificationQueries(runtime.sessions), Dashboard(runtime.sessions, clock, watch.as_dict),
                PauseSending(runtime.sessions, clock), FixTemplate(runtime.sessions, clock),
                ResendSegment(runtime.sessions, clock), KeepContacts(runtime.sessions, clock))
    return app


def email_channel(settings: NotifierSettings, runtime: ServiceRuntime, clock: Clock) -> EmailChannel | None:
    """SMTP to the configured server (seed §1 INCIDENT_NOTICE by e-mail); None when no server is configured."""
    if settings.smtp_host is None:
        return None
    server = SmtpServer(settings.smtp_host, settings.smtp_port, settings.smtp_username, settings.smtp_password,
                        settings.smtp_starttls, settings.smtp_timeout_seconds)
    return EmailChannel(SmtpMailer(server), ContactBook(runtime.sessions), clock, settings.smtp_from)
