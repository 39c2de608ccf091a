"""The demo's e-mail notice (seed §1 `INCIDENT_NOTICE`, runbook §14.1): one address imported into the notifier's
contact book, one notice asked on the e-mail channel through Kafka (as the services ask for notices), and what
the SMTP stand-in received — Korean subject with its KST time, the §14.1 sections in the body."""

import asyncio
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from platform_deploy.infra import Infrastructure
from platform_deploy.scenario import admin_http, poll_rows
from platform_deploy.services import Fleet
from platform_shared.client.notifier import NotifierClient
from platform_shared.contracts import topics
from platform_shared.contracts.admin.notifier import ContactIn, ContactsIn
from platform_shared.contracts.events import NotificationRequested

DEMO_USER, DEMO_ADDRESS = "demo-reader", "demo.reader@example.com"


def send_email_notice(fleet: Fleet, infra: Infrastructure) -> list[dict[str, Any]]:
    """The messages the SMTP stand-in holds for the demo address once the notice is in (empty without it)."""
    smtp = fleet.smtp
    if smtp is None:
        return []
    NotifierClient(admin_http(fleet["notifier"].base_url)).import_contacts(ContactsIn(
        contacts=[ContactIn(user_id=DEMO_USER, email=DEMO_ADDRESS)], reason="데모: 공지 수신 주소"))
    now = fleet.clock.now()
    asyncio.run(_publish(infra, NotificationRequested(
        occurred_at=now, dedupe_key=f"demo-incident:{now.isoformat()}", user_id=DEMO_USER, template="INCIDENT_NOTICE",
        channel="email", params={"notice_time": now.isoformat(), "affected": "응모", "period": "10분",
                                 "action": "서버를 다시 시작했습니다", "retry": "지금 다시 응모하실 수 있습니다"})))

    def received() -> list[dict[str, Any]]:
        answer = httpx.get(f"{smtp.base_url}/_messages", params={"to": DEMO_ADDRESS}, timeout=10)
        messages: list[dict[str, Any]] = answer.json()
        return messages
    return poll_rows(received, 1, 60, "the e-mail notice at the SMTP stand-in")


async def _publish(infra: Infrastructure, event: NotificationRequested) -> None:
    producer = AIOKafkaProducer(**infra.kafka.client_kwargs())
    await producer.start()
    try:
        await producer.send_and_wait(topics.NOTIFICATION_REQUESTED, event.model_dump_json().encode(),
                                     key=event.partition_key())
    finally:
        await producer.stop()
