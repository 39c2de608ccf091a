"""Delivery rules (SPEC §5), pure: which vendor answers are worth retrying, how long to wait, how a
template becomes text. No clock, database or network here."""

import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum

from platform_shared.contracts.policy import RetryPolicy


class Status(StrEnum):
    QUEUED = "queued"
    HELD = "held"  # waiting for quiet hours to end
    SENDING = "sending"
    SENT = "sent"
    RETRYING = "retrying"
    DEAD = "dead"
    CANCELLED = "cancelled"


SENDABLE = (Status.QUEUED, Status.HELD, Status.RETRYING)
UNSENT = (Status.QUEUED, Status.HELD, Status.RETRYING)


class Verdict(StrEnum):
    SENT = "sent"
    TRANSIENT = "transient"
    PERMANENT = "permanent"


@dataclass(frozen=True)
class AttemptResult:
    verdict: Verdict
    reason: str
    retry_after: timedelta | None = None
    http_status: int | None = None


class TemplateError(Exception):
    """A template that cannot produce a message: retrying cannot fix it."""


def render(body: str, params: dict[str, str]) -> str:
    try:
        return string.Template(body).substitute(params)
    except (KeyError, ValueError) as error:
        raise TemplateError(f"template needs {error}") from error


def preview(body: str, params: dict[str, str]) -> str:
    """A stored message as an operator reads it: what it was rendered with, except what is made only at send
    time and never stored (an offer's answer link) — those placeholders stay as written."""
    return string.Template(body).safe_substitute(params)


def classify(http_status: int, retry_after_header: str | None, now: datetime | None = None) -> AttemptResult:
    """2xx sent; 429 and 5xx transient (429 honours Retry-After, in seconds or as an HTTP-date, RFC 9110
    §10.2.3: the date is measured from `now`, the sender's clock); other 4xx permanent."""
    if 200 <= http_status < 300:
        return AttemptResult(Verdict.SENT, "sent", http_status=http_status)
    if http_status == 429:
        return AttemptResult(Verdict.TRANSIENT, "429 rate limited", _retry_after(retry_after_header, now),
                             http_status)
    if http_status >= 500 or http_status == 408:
        return AttemptResult(Verdict.TRANSIENT, f"{http_status} vendor error", http_status=http_status)
    return AttemptResult(Verdict.PERMANENT, f"{http_status} rejected", http_status=http_status)


def next_delay(attempt: int, policy: RetryPolicy, retry_after: timedelta | None, rng: random.Random) -> timedelta:
    """Exponential backoff with jitter, never sooner than the vendor's Retry-After."""
    base = min(policy.base_delay_seconds * 2 ** (attempt - 1), policy.max_delay_seconds)
    jittered = base * (1 + rng.uniform(-policy.jitter_ratio, policy.jitter_ratio))
    delay = timedelta(seconds=max(0.0, jittered))
    return max(delay, retry_after) if retry_after is not None else delay


def retry_at(result: AttemptResult, attempts: int, policy: RetryPolicy, now: datetime,
             rng: random.Random) -> datetime | None:
    """After a failed attempt (runbook §6.3): when to try again, or None when the message is dead — the vendor
    refused it for good, or the policy's attempts are spent."""
    if result.verdict != Verdict.TRANSIENT or attempts >= policy.max_attempts:
        return None
    return now + next_delay(attempts, policy, result.retry_after, rng)


def _retry_after(header: str | None, now: datetime | None) -> timedelta | None:
    if header is None:
        return None
    try:
        return timedelta(seconds=max(0.0, float(header)))
    except ValueError:
        pass
    try:
        until = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None  # neither form: our backoff decides
    if now is None or until.tzinfo is None:
        return None
    return max(until - now, timedelta(0))
