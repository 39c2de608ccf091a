"""Notices by e-mail (seed §1 `INCIDENT_NOTICE`, runbook §14.1), against the real fleet and its SMTP stand-in: an
operator imports addresses (a bad row refuses the batch, naming no address), a notice asked on the e-mail channel
reaches the mail server once, in Korean with its KST time, however often it is asked; a user without an address is
undeliverable with the reason; and the vendor's status (runbook §6.3) follows the vendor. Retries on a 451 and
quiet hours run on the harness's moved clock (seconds, not the policy's 30-second backoff), against the same
SMTP stand-in over real SMTP."""

import re
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from notifier_service.application.contacts import KeepContacts
from platform_deploy.infra import Infrastructure
from platform_deploy.scenario import admin_client, poll_rows
from platform_deploy.services import Fleet, ServiceProcess
from platform_shared.contracts import topics
from platform_shared.contracts.events import NotificationRequested
from platform_shared.contracts.notices import NOTICE_HEADINGS
from platform_shared.time.clock import KST, Clock
from tests.notifier_harness import notifier_harness
from tests.support import eventually, ok

pytestmark = pytest.mark.integration

KST_TITLE = re.compile(r"^\[안내\] 시스템 점검/장애 안내 \(\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} \(KST\)\)$")
NOTICE = {"affected": "응모, 당첨 확인", "period": "21:00–21:30 (KST)", "action": "결제 서버를 교체했습니다",
          "retry": "21:30 (KST) 이후 다시 응모해 주세요"}


def smtp(fleet: Fleet) -> httpx.Client:
    assert fleet.smtp is not None, "the SMTP stand-in keeps what it received"
    return httpx.Client(base_url=fleet.smtp.base_url, timeout=10)


async def publish(infrastructure: Infrastructure, *events: NotificationRequested) -> None:
    producer = AIOKafkaProducer(**infrastructure.kafka.client_kwargs())
    await producer.start()
    try:
        for event in events:
            await producer.send(topics.NOTIFICATION_REQUESTED, event.model_dump_json().encode(),
                                key=event.partition_key())
        await producer.flush()
    finally:
        await producer.stop()


def notice(clock: Clock, key: str, user_id: str) -> NotificationRequested:
    return NotificationRequested(occurred_at=clock.now(), dedupe_key=key, user_id=user_id, template="INCIDENT_NOTICE",
                                 params={"notice_time": clock.now().isoformat(), **NOTICE}, channel="email")


def mail_to(fleet: Fleet, address: str) -> list[dict[str, Any]]:
    return list(ok(smtp(fleet).get("/_messages", params={"to": address})))


def notification(fleet: Fleet, key: str, status: str) -> list[dict[str, Any]]:
    rows = ok(admin_client(fleet["notifier"].base_url).get(
        "/notifications", params={"template": "INCIDENT_NOTICE", "status": status}))
    return [row for row in rows if row["dedupe_key"] == key]


async def test_an_email_notice_reaches_each_address_once_in_korean(fleet: Fleet, infrastructure: Infrastructure,
                                                                   clock: Clock) -> None:
    notifier = admin_client(fleet["notifier"].base_url)
    batch = uuid4().hex[:8]
    reader, nobody = f"mail-{batch}", f"no-mail-{batch}"
    address = f"reader.{batch}@example.com"
    before = ok(notifier.get("/contacts/summary"))["contacts"]
    refused = notifier.put("/contacts", json={"reason": "공지 수신 주소 등록", "contacts": [
        {"user_id": reader, "email": address}, {"user_id": f"other-{batch}", "email": f"secret.{batch}@@example"}]})
    assert refused.status_code == 422 and refused.json()["field"] == "contacts.1.email"
    assert f"secret.{batch}" not in refused.text and ok(notifier.get("/contacts/summary"))["contacts"] == before
    assert ok(notifier.put("/contacts", json={"reason": "공지 수신 주소 등록", "contacts": [
        {"user_id": reader, "email": address}]})) == {"imported": 1, "replaced": 0}
    assert ok(notifier.get("/contacts/summary"))["contacts"] == before + 1

    first = f"incident:{batch}:{reader}"
    await publish(infrastructure, notice(clock, first, reader), notice(clock, f"incident:{batch}:{nobody}", nobody))
    [mail] = poll_rows(lambda: mail_to(fleet, address), 1, 60, "the notice at the SMTP stand-in")
    assert KST_TITLE.match(mail["subject"]), mail["subject"]
    assert mail["content_type"] == "text/plain" and mail["charset"] == "utf-8"
    assert all(word in mail["subject"] + mail["body"] for word in NOTICE_HEADINGS[("INCIDENT_NOTICE", "ko")])
    assert f"재시도 안내: {NOTICE['retry']}" in mail["body"] and "+00:00" not in mail["subject"] + mail["body"]
    assert mail["to"] == [address] and mail["date"].endswith("+0900")

    # Asked again (a redelivered or repeated request), then a second notice behind it on the same partition:
    # once that one is in, the repeat has been handled, and the first went out once.
    second = f"incident:{batch}:{reader}:2"
    await publish(infrastructure, notice(clock, first, reader), notice(clock, second, reader))
    poll_rows(lambda: mail_to(fleet, address), 2, 60, "the second notice")
    assert [m["message_id"] for m in mail_to(fleet, address)].count(mail["message_id"]) == 1

    [dead] = poll_rows(lambda: notification(fleet, f"incident:{batch}:{nobody}", "dead"), 1, 60, "no address")
    assert dead["last_error"] == "no e-mail address" and dead["attempts"] == 1
    reasons = ok(notifier.get("/dashboard"))["top_failure_reasons"]
    assert "no e-mail address" in {r["reason"] for r in reasons}
    assert address not in fleet["notifier"].log_path.read_text(errors="replace"), "an address never reaches a log"
    ok(notifier.request("DELETE", f"/contacts/{reader}", json={"reason": "수신 거부"}))
    assert ok(notifier.get("/contacts/summary"))["contacts"] == before


def test_a_notice_template_without_its_sections_is_refused_when_saved(fleet: Fleet) -> None:
    notifier = admin_client(fleet["notifier"].base_url)
    shipped = {(t["name"], t["locale"]): t["body"] for t in ok(notifier.get("/templates"))}
    refused = notifier.put("/templates/INCIDENT_NOTICE", json={
        "body": shipped[("INCIDENT_NOTICE", "ko")].replace("${retry}", "곧 다시"), "reason": "재시도 안내 고정"})
    assert refused.status_code == 422 and refused.json()["field"] == "body" and "${retry}" in refused.json()["message"]
    assert {(t["name"], t["locale"]): t["body"] for t in ok(notifier.get("/templates"))} == shipped, "nothing saved"


def test_the_dashboard_follows_the_vendors_status(fleet: Fleet) -> None:
    assert fleet.vendor is not None
    notifier, vendor = admin_client(fleet["notifier"].base_url), httpx.Client(base_url=fleet.vendor.base_url)
    ok(vendor.put("/_behaviour", json={"down": True}))
    try:
        down = poll_rows(lambda: [v for v in [ok(notifier.get("/dashboard"))["vendor"]] if v["up"] is False],
                         1, 30, "the vendor shown down")[0]
        assert down["last_problem"] == "status check answered 503" and down["probe_failures"] >= 1
        assert "notifier_vendor_up 0.0" in notifier.get("/metrics").text
    finally:
        ok(vendor.put("/_behaviour", json={}))
    up = poll_rows(lambda: [v for v in [ok(notifier.get("/dashboard"))["vendor"]] if v["up"]], 1, 30, "back up")[0]
    assert up["last_problem"] == "status check answered 503", "why it was down stays readable"


async def test_a_451_is_retried_and_a_night_notice_waits_for_0800(fleet: Fleet, infrastructure: Infrastructure,
                                                                  vendor: ServiceProcess) -> None:
    mailbox = smtp(fleet)
    port = int(fleet["notifier"].base_env["NOTIFIER_SMTP_PORT"])
    address = f"night.{uuid4().hex[:8]}@example.com"
    async with notifier_harness(infrastructure, vendor, datetime(2026, 12, 1, 14, 0, tzinfo=KST),
                                smtp_port=port) as h:
        await KeepContacts(h.sessions, h.clock).import_contacts([("night-owl", address)], "import", "admin",
                                                                "공지 수신 주소 등록")
        ok(mailbox.put("/_behaviour", json={"fail_next": 1, "code": 451}))
        deferred = await h.request_by("night-owl", "email")
        await h.sender.send_due()
        assert await h.status_of(deferred) == "retrying" and mail_to(fleet, address) == []
        h.clock.advance(timedelta(minutes=2))  # past the backoff
        await h.sender.send_due()
        assert await h.status_of(deferred) == "sent" and len(mail_to(fleet, address)) == 1

        h.clock.set(datetime(2026, 12, 1, 23, 0, tzinfo=KST))
        night = await h.request_by("night-owl", "email")
        await h.sender.send_due()
        h.clock.set(datetime(2026, 12, 2, 7, 59, tzinfo=KST))
        await h.sender.send_due()
        assert await h.status_of(night) == "held" and len(mail_to(fleet, address)) == 1, "nothing before 08:00"
        h.clock.set(datetime(2026, 12, 2, 8, 0, tzinfo=KST))
        await eventually(lambda: _send(h), lambda _: len(mail_to(fleet, address)) == 2, timeout=10)
        assert mail_to(fleet, address)[1]["date"] == "Wed, 02 Dec 2026 08:00:00 +0900"


async def _send(h: Any) -> int:
    return int(await h.sender.send_due())
