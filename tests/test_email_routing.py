"""The send round routes each notification by its channel (seed §1: notices by e-mail), on the memory twin of the
queue (tests/memory_notifier.py): `message` to the vendor, `email` to the mail server at the contact book's
address, under the same quiet hours, retries and dead letters; no address, or no mail server, is undeliverable
with its reason. The SQL side and the real SMTP client are tests/test_email_notices.py's."""

import random
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from email.message import EmailMessage

from notifier_service.adapters.vendor import OutgoingMessage
from notifier_service.application.email_channel import EmailChannel
from notifier_service.application.send_round import SenderConfig
from notifier_service.domain.delivery import AttemptResult, Status, Verdict
from notifier_service.domain.email import NO_ADDRESS, NOT_CONFIGURED, smtp_verdict
from notifier_service.domain.notifications import requested
from notifier_service.domain.template_preview import sample_params
from platform_shared.contracts.events import NotificationRequested
from platform_shared.time.clock import KST, FixedClock
from tests.memory_notifier import NotifierState, memory_send_round

DAY = datetime(2031, 3, 4, 11, 0, tzinfo=KST)
CONFIG = SenderConfig(batch_size=10, concurrency=1, lease=timedelta(seconds=30), poll_seconds=0.05, vendor_batch=10,
                      call_timeout=timedelta(seconds=5))
KOREAN = "[안내] 시스템 점검/장애 안내 (${notice_time})\n영향 기능: ${affected}\n기간: ${period}\n조치: ${action}\n" \
         "재시도 안내: ${retry}"


class StubVendor:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[AttemptResult]:
        self.sent += [m.dedupe_key for m in messages]
        return [AttemptResult(Verdict.SENT, "sent", http_status=200)] * len(messages)


class StubMailer:
    """A mail server in process: answers each message with the next code of `codes` (250 once they run out)."""

    def __init__(self, *codes: int) -> None:
        self.codes = list(codes)
        self.mail: list[EmailMessage] = []

    async def send_all(self, messages: Sequence[EmailMessage]) -> list[AttemptResult]:
        answers = []
        for message in messages:
            code = self.codes.pop(0) if self.codes else 250
            if code == 250:
                self.mail.append(message)
            answers.append(smtp_verdict(code))
        return answers


class Book:
    def __init__(self, addresses: dict[str, str]) -> None:
        self._addresses = addresses

    async def addresses(self, user_ids: Collection[str]) -> dict[str, str]:
        return {u: a for u, a in self._addresses.items() if u in user_ids}


class World:
    def __init__(self, mailer: StubMailer | None, start: datetime = DAY) -> None:
        self.clock = FixedClock(start)
        self.state = NotifierState(templates={("INCIDENT_NOTICE", "ko"): KOREAN})
        self.vendor, self.mailer = StubVendor(), mailer
        email = EmailChannel(mailer, Book({"u-mail": "kim@example.com"}), self.clock, "no-reply@lottery.test") \
            if mailer is not None else None
        self.sender = memory_send_round(self.state, self.clock, self.vendor, CONFIG, random.Random(7), email=email)

    def request(self, key: str, user_id: str, channel: str) -> None:
        event = NotificationRequested(occurred_at=self.clock.now(), dedupe_key=key, user_id=user_id,
                                      template="INCIDENT_NOTICE", params=sample_params("INCIDENT_NOTICE"),
                                      channel=channel)  # type: ignore[arg-type]
        self.state.add([requested(event, self.clock.now(), set())])

    def status(self, key: str) -> tuple[Status, str | None]:
        found = next(n for n in self.state.notifications.values() if n.dedupe_key == key)
        return found.status, found.last_error


async def test_each_notification_goes_by_its_own_channel() -> None:
    world = World(StubMailer())
    world.request("by-message", "u-mail", "message")
    world.request("by-email", "u-mail", "email")
    await world.sender.send_due()
    assert world.vendor.sent == ["by-message"], "the vendor never gets an e-mail notice"
    assert world.mailer is not None and [m["To"] for m in world.mailer.mail] == ["kim@example.com"]
    assert world.mailer.mail[0]["Subject"] == "[안내] 시스템 점검/장애 안내 (2026년 12월 8일 21:00 (KST))"
    assert {world.status(k)[0] for k in ("by-message", "by-email")} == {Status.SENT}


async def test_a_451_is_retried_and_a_550_is_dead() -> None:
    world = World(StubMailer(451, 550))
    world.request("deferred", "u-mail", "email")
    world.request("refused", "u-mail", "email")
    await world.sender.send_due()
    assert world.status("deferred") == (Status.RETRYING, "451 mail server deferred")
    assert world.status("refused") == (Status.DEAD, "550 mail server refused")
    assert world.state.letters == ["refused"]
    world.clock.advance(timedelta(minutes=30))
    await world.sender.send_due()
    assert world.status("deferred") == (Status.SENT, None)


async def test_no_address_and_no_mail_server_are_undeliverable_with_the_reason() -> None:
    world = World(StubMailer())
    world.request("nobody", "u-without-address", "email")
    await world.sender.send_due()
    assert world.status("nobody") == (Status.DEAD, NO_ADDRESS)
    assert world.mailer is not None and world.mailer.mail == []

    unconfigured = World(None)
    unconfigured.request("no-server", "u-mail", "email")
    await unconfigured.sender.send_due()
    assert unconfigured.status("no-server") == (Status.DEAD, NOT_CONFIGURED)
    assert unconfigured.vendor.sent == [], "an e-mail notice never falls back to another channel"


async def test_an_email_asked_at_night_is_held_and_sent_from_0800() -> None:
    world = World(StubMailer(), start=datetime(2031, 3, 3, 23, 0, tzinfo=KST))
    world.request("night", "u-mail", "email")
    await world.sender.send_due()
    assert world.status("night")[0] == Status.HELD
    world.clock.set(datetime(2031, 3, 4, 7, 59, 50, tzinfo=KST))
    await world.sender.send_due()
    assert world.status("night")[0] == Status.HELD and world.mailer is not None and world.mailer.mail == []
    world.clock.set(datetime(2031, 3, 4, 8, 0, tzinfo=KST))
    await world.sender.send_due()
    assert world.status("night")[0] == Status.SENT
    assert world.mailer.mail[0]["Date"] == "Tue, 04 Mar 2031 08:00:00 +0900"
