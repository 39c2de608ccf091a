"""The e-mail channel's adapter: SMTP with aiosmtplib to the configured server (NOTIFIER_SMTP_*), one connection
per batch, each message its own transaction and its own answer (domain/email.py says what the answer means).
The password is a SecretStr, handed to the client only; an address never reaches a log line unmasked."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib
from pydantic import SecretStr

from notifier_service.domain.contacts import masked
from notifier_service.domain.delivery import AttemptResult
from notifier_service.domain.email import smtp_verdict, unreachable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None
    password: SecretStr | None
    starttls: bool
    timeout_seconds: float


class SmtpMailer:
    def __init__(self, server: SmtpServer) -> None:
        self._server = server

    async def send_all(self, messages: Sequence[EmailMessage]) -> list[AttemptResult]:
        """One answer per message, in order. A server that cannot be reached fails every message alike; one
        that drops the connection midway fails the rest."""
        server = self._server
        client = aiosmtplib.SMTP(hostname=server.host, port=server.port, timeout=server.timeout_seconds,
                                 start_tls=server.starttls, username=server.username,
                                 password=server.password.get_secret_value() if server.password else None)
        try:
            await client.connect()
        except aiosmtplib.SMTPAuthenticationError as error:
            log.error("mail server refused our login (%s)", error.code)
            return [smtp_verdict(error.code)] * len(messages)
        except (aiosmtplib.SMTPException, OSError) as error:
            log.warning("mail server unreachable: %s", type(error).__name__)
            return [unreachable(type(error).__name__)] * len(messages)
        results: list[AttemptResult] = []
        try:
            for message in messages:
                results.append(await self._send(client, message))
                if not client.is_connected:
                    break
        finally:
            if client.is_connected:
                try:
                    await client.quit()
                except (aiosmtplib.SMTPException, OSError):
                    client.close()
        return results + [unreachable("connection lost")] * (len(messages) - len(results))

    @staticmethod
    async def _send(client: aiosmtplib.SMTP, message: EmailMessage) -> AttemptResult:
        try:
            refused, _ = await client.send_message(message)
        except aiosmtplib.SMTPRecipientsRefused as error:
            code = error.recipients[0].code if error.recipients else 550
            log.info("mail server refused %s (%s)", masked(str(message["To"])), code)
            return smtp_verdict(code)
        except aiosmtplib.SMTPResponseException as error:
            log.info("mail server answered %s for %s", error.code, masked(str(message["To"])))
            return smtp_verdict(error.code)
        except (aiosmtplib.SMTPException, OSError) as error:
            return unreachable(type(error).__name__)
        if refused:
            return smtp_verdict(next(iter(refused.values())).code)
        return smtp_verdict(250)
