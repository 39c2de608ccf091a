"""A notice as an e-mail (seed §1 `INCIDENT_NOTICE`, runbook §14), pure: the message the SMTP adapter hands to
the server, and what the server's answer means for the notification.

Subject: the template's first line (its §14 title); body: the rest. Plain text in UTF-8, since people read it in
Korean. The `Message-ID` is derived from the dedupe key, so a message sent again after a lost answer is the same
message to every mail system that deduplicates on it, and the key itself (it may name the user) is not shown.
`Date` is the sender's clock, the process's one clock."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from notifier_service.domain.delivery import AttemptResult, Verdict
from platform_shared.time.clock import KST

NO_ADDRESS = "no e-mail address"
"""Why an e-mail notification for a user missing from the contact book is undeliverable (never retried)."""
NOT_CONFIGURED = "e-mail is not configured (NOTIFIER_SMTP_HOST)"


@dataclass(frozen=True)
class Envelope:
    dedupe_key: str
    to: str
    text: str


def subject_and_body(text: str) -> tuple[str, str]:
    first, _, rest = text.partition("\n")
    return first.strip(), rest.lstrip("\n")


def message_id(dedupe_key: str, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "notifier.invalid"
    return f"<{hashlib.sha256(dedupe_key.encode()).hexdigest()[:40]}@{domain}>"


def compose(envelope: Envelope, sender: str, now: datetime) -> EmailMessage:
    subject, body = subject_and_body(envelope.text)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = envelope.to
    message["Subject"] = subject
    message["Date"] = format_datetime(now.astimezone(KST))  # +0900: the zone people read it in
    message["Message-ID"] = message_id(envelope.dedupe_key, sender)
    message.set_content(body or subject, subtype="plain", charset="utf-8")
    return message


def smtp_verdict(code: int) -> AttemptResult:
    """RFC 5321 §4.2.1: 2xx taken; 4xx a transient failure worth a retry (greylisting, a full mailbox, a busy
    server); 5xx permanent. The server's text is left out: it often repeats the address."""
    if 200 <= code < 300:
        return AttemptResult(Verdict.SENT, "sent", http_status=code)
    if 400 <= code < 500:
        return AttemptResult(Verdict.TRANSIENT, f"{code} mail server deferred", http_status=code)
    return AttemptResult(Verdict.PERMANENT, f"{code} mail server refused", http_status=code)


def unreachable(kind: str) -> AttemptResult:
    """A connection refused, dropped or timed out: the server may be back soon."""
    return AttemptResult(Verdict.TRANSIENT, f"mail server unreachable: {kind}")
