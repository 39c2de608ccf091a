"""An in-process notifier sender on a database of its own, a moved clock and a fake vendor process:
for the quiet-hours and failure tests, which must control time and must not share a queue with the
running notifier service."""

import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import httpx

from notifier_service.adapters.contacts import ContactBook
from notifier_service.adapters.mailer import SmtpMailer, SmtpServer
from notifier_service.adapters.vendor import HttpVendor
from notifier_service.application.email_channel import EmailChannel
from notifier_service.application.send_round import Sender, SenderConfig
from notifier_service.domain.links import AnswerLinks
from notifier_service.domain.template_preview import sample_params
from notifier_service.entrypoints.kafka.intake import NotificationIntake
from notifier_service.main import MIGRATIONS
from platform_deploy.infra import Infrastructure
from platform_deploy.services import ServiceProcess
from platform_shared.contracts.events import NotificationRequested, TemplateName
from platform_shared.contracts.notices import Channel
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.time.clock import FixedClock
from tests.support import fresh_database, plain_url

LINKS = AnswerLinks("https://lottery.test/offers", "harness-offer-link-secret-" + "h" * 32)
"""Where the harness's offer messages link to, and the secret they are signed with."""


@dataclass
class Harness:
    clock: FixedClock
    sender: Sender
    intake: NotificationIntake
    sessions: Any
    database_url: str
    vendor_url: str

    async def request(self, user_id: str, template: TemplateName = "INCIDENT_NOTICE", **params: str) -> str:
        """A notification request arriving now (by the harness clock); returns its dedupe key."""
        return await self.request_by(user_id, "message", template, params)

    async def request_by(self, user_id: str, channel: Channel, template: TemplateName = "INCIDENT_NOTICE",
                         params: dict[str, str] | None = None) -> str:
        """The same, by `channel` (seed §1: e-mail notices too)."""
        key = f"test:{uuid4()}"
        event = NotificationRequested(occurred_at=self.clock.now(), dedupe_key=key, user_id=user_id,
                                      template=template, params=params or sample_params(template), channel=channel)
        async with self.sessions.begin() as session:
            await self.intake.enqueue(event, session)
        return key

    async def rows(self, query: str, *args: object) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(plain_url(self.database_url))
        try:
            return await connection.fetch(query, *args)
        finally:
            await connection.close()

    async def status_of(self, key: str) -> str:
        status: str = (await self.rows("SELECT status FROM notifications WHERE dedupe_key = $1", key))[0]["status"]
        return status

    async def vendor_report(self) -> dict[str, Any]:
        async with httpx.AsyncClient() as client:
            report: dict[str, Any] = (await client.get(f"{self.vendor_url}/_deliveries")).json()
            return report

    async def vendor_message(self, key: str) -> str:
        """The text the vendor delivered under `key`."""
        async with httpx.AsyncClient() as client:
            response = (await client.get(f"{self.vendor_url}/_messages/{key}"))
            response.raise_for_status()
            text: str = response.json()["text"]
            return text

    async def vendor_behaves(self, **behaviour: Any) -> None:
        async with httpx.AsyncClient() as client:
            (await client.put(f"{self.vendor_url}/_behaviour", json=behaviour)).raise_for_status()


@asynccontextmanager
async def notifier_harness(infrastructure: Infrastructure, vendor: ServiceProcess, start: datetime,
                           **config: Any) -> AsyncIterator[Harness]:
    async with fresh_database(infrastructure, MIGRATIONS, like="notifier") as url, \
            _harness(url, vendor, start, **config) as harness:
        yield harness


@asynccontextmanager
async def _harness(url: str, vendor: ServiceProcess, start: datetime, **config: Any) -> AsyncIterator[Harness]:
    async with httpx.AsyncClient() as client:
        await client.post(f"{vendor.base_url}/_reset")
    engine = create_engine(url)
    sessions = session_factory(engine)
    clock = FixedClock(start)
    http_vendor = HttpVendor(vendor.base_url, timeout_seconds=config.pop("timeout_seconds", 5.0))
    sender_config = SenderConfig(batch_size=config.pop("batch_size", 100), concurrency=config.pop("concurrency", 8),
                                 lease=timedelta(seconds=30), poll_seconds=0.05,
                                 vendor_batch=config.pop("vendor_batch", 100),
                                 call_timeout=timedelta(seconds=config.pop("call_timeout_seconds", 5.0)))
    smtp_port = config.pop("smtp_port", None)  # e-mail to this SMTP server on loopback (seed §1), else none
    email = None if smtp_port is None else EmailChannel(
        SmtpMailer(SmtpServer("127.0.0.1", smtp_port, None, None, False, 5.0)), ContactBook(sessions), clock,
        "no-reply@lottery.test")
    sender = Sender(sessions, clock, http_vendor, sender_config, rng=random.Random(7), links=LINKS, email=email)
    try:
        yield Harness(clock, sender, NotificationIntake(clock), sessions, url, vendor.base_url)
    finally:
        await http_vendor.close()
        await engine.dispose()
