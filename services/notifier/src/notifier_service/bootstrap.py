"""Composition root of the notifier service."""

from fastapi import FastAPI

from notifier_service.api import notifications_router
from notifier_service.queue import NotificationQueue
from notifier_service.settings import NotifierSettings
from platform_shared import topics
from platform_shared.consumer import ConsumerSpec
from platform_shared.contracts import NotificationRequested
from platform_shared.runtime import ServiceRuntime


def build_app(settings: NotifierSettings) -> FastAPI:
    runtime = ServiceRuntime.create("notifier", settings)
    queue = NotificationQueue(runtime.sessions)
    runtime.consume_policy()
    runtime.consume(ConsumerSpec(topics.NOTIFICATION_REQUESTED, "notifier", NotificationRequested, queue.enqueue))
    return runtime.build_app([notifications_router(queue)])
