"""The e-mail channel (seed §1 `INCIDENT_NOTICE` by e-mail): what the send round hands it — rendered messages,
like the vendor's — becomes mail to each person's address in the contact book, composed by domain/email.py and
sent by the SMTP adapter (adapters/mailer.py). A person with no address gets nothing: their notification is
undeliverable with the reason NO_ADDRESS, counted, never retried."""

from collections.abc import Collection, Sequence
from email.message import EmailMessage
from typing import Protocol

from notifier_service.adapters.vendor import OutgoingMessage
from notifier_service.domain.delivery import AttemptResult, Verdict
from notifier_service.domain.email import NO_ADDRESS, Envelope, compose
from notifier_service.metrics import EMAIL_NO_ADDRESS
from platform_shared.time.clock import Clock


class AddressBook(Protocol):
    async def addresses(self, user_ids: Collection[str]) -> dict[str, str]:
        """user id → e-mail address, for those of them the contact book has."""
        ...


class Mailer(Protocol):
    async def send_all(self, messages: Sequence[EmailMessage]) -> list[AttemptResult]:
        """One answer per message, in order."""
        ...


class EmailChannel:
    def __init__(self, mailer: Mailer, contacts: AddressBook, clock: Clock, sender: str) -> None:
        """`sender`: the From address (NOTIFIER_SMTP_FROM); `clock` stamps each message's Date."""
        self._mailer, self._contacts, self._clock, self._sender = mailer, contacts, clock, sender

    async def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[AttemptResult]:
        """One result per message, in order, as the vendor answers (application/ports.Vendor)."""
        addresses = await self._contacts.addresses({m.user_id for m in messages})
        now = self._clock.now()
        results: list[AttemptResult | None] = []
        mail: list[EmailMessage] = []
        for message in messages:
            address = addresses.get(message.user_id)
            if address is None:
                EMAIL_NO_ADDRESS.inc()
                results.append(AttemptResult(Verdict.PERMANENT, NO_ADDRESS))
            else:
                results.append(None)
                mail.append(compose(Envelope(message.dedupe_key, address, message.text), self._sender, now))
        answers = iter(await self._mailer.send_all(mail) if mail else [])
        return [result if result is not None else next(answers) for result in results]
