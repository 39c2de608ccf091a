"""The sender's round (SPEC §5, runbook §6.2, §6.3). Each round claims due notifications (the queue store
takes them FOR UPDATE SKIP LOCKED, so each goes to one replica), checks quiet hours at the moment of sending,
renders, calls the vendor, and hands the answers to the outcome recorder.

Quiet hours: once a call started now could still be running when the window starts (domain/vendor_call.py),
due notifications are `held` and given release slots from the window's end, in arrival order,
`1 / release_rate` seconds apart — in the database, so the order and the rate hold across replicas. A claim
whose sender dies mid-send is taken over after its lease; the vendor's idempotency key keeps the retry from
delivering twice. A live sender never outlasts its lease: each call is cut inside it, and its outcome is
recorded only while the claim is still the one it made (its `claimed_until` is the claim's token).

Channels (seed §1): each notification goes by its own — `message` to the messaging vendor, `email` to the mail
server (application/email_channel.py) — under the same quiet hours, claims, retries and dead letters; a channel
the service was not given (no SMTP server configured) makes its notifications undeliverable, with the reason.

`SendRound` runs on the stores of application/ports.py; `Sender` is the round on the service's database.
"""

import asyncio
import contextlib
import logging
import os
import random
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier_service.adapters.outcomes import OutcomeRecorder
from notifier_service.adapters.send_queue import SendQueue
from notifier_service.adapters.vendor import OutgoingMessage
from notifier_service.application.ports import ClaimQueue, OutcomeStore, Vendor
from notifier_service.domain.claims import Claim, ClaimedRow
from notifier_service.domain.delivery import AttemptResult, TemplateError, Verdict
from notifier_service.domain.email import NOT_CONFIGURED
from notifier_service.domain.links import AnswerLinks
from notifier_service.domain.vendor_call import call_budget, first_call_start
from notifier_service.domain.wording import Templates, message_text
from notifier_service.metrics import EMAIL_OUTCOMES, VENDOR_CALL_SECONDS, VENDOR_OUTCOMES
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.failpoints import failpoint
from platform_shared.rounds import run_rounds
from platform_shared.time.clock import Clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SenderConfig:
    batch_size: int
    concurrency: int
    """Vendor calls in flight at once."""
    lease: timedelta
    poll_seconds: float
    vendor_batch: int = 100
    """Messages per vendor call."""
    call_timeout: timedelta = timedelta(seconds=5)
    """The whole vendor call, connect to last byte (httpx's own timeouts are per phase)."""


class SendRound:
    def __init__(self, queue: ClaimQueue, outcomes: OutcomeStore, clock: Clock, vendor: Vendor,
                 config: SenderConfig, worker_id: str, links: AnswerLinks | None = None,
                 email: Vendor | None = None) -> None:
        """Without `links`, an offer template that asks for `${answer_link}` fails as a template error; without
        `email`, an e-mail notification is undeliverable (NOT_CONFIGURED)."""
        self._queue = queue
        self._outcomes = outcomes
        self._clock = clock
        self._channels: dict[str, Vendor] = {"message": vendor, **({"email": email} if email else {})}
        self._config = config
        self._worker_id = worker_id
        self._links = links

    @property
    def worker_id(self) -> str:
        """Whose claims these are: a claim taken over by another worker is no longer ours to send or record.
        Fixed at construction, since the queue store and the outcome recorder fence on the same id."""
        return self._worker_id

    async def run_forever(self) -> None:
        async def full_batch() -> bool:
            return await self.send_due() == self._config.batch_size

        await run_rounds(full_batch, lambda: asyncio.sleep(self._config.poll_seconds), what="send round")

    async def send_due(self) -> int:
        """One round: hold or claim, then deliver the claimed notifications. Returns how many were claimed."""
        now = self._clock.now()
        policy, templates = await self._queue.policy_and_templates()
        if await self._queue.paused(now):
            return 0
        first_start = first_call_start(now, self._config.call_timeout, policy.quiet_hours)
        if first_start > now:
            await self._queue.hold(first_start, policy)
            return 0
        await self._queue.reslot_off_schedule(now, policy)
        if await self._queue.releasing(now):
            # While the night's backlog is being released, newcomers queue behind it (arrival order).
            await self._queue.hold(now, policy)
        claim = await self._queue.claim(now)
        claimed = claim.rows
        chunks = [claimed[i:i + self._config.vendor_batch] for i in range(0, len(claimed), self._config.vendor_batch)]
        semaphore = asyncio.Semaphore(self._config.concurrency)

        async def deliver(chunk: Sequence[ClaimedRow]) -> None:
            async with semaphore:
                await self._deliver(Claim(chunk, claim.lease_until), templates, policy)

        await asyncio.gather(*(deliver(chunk) for chunk in chunks))
        return len(claimed)

    async def _deliver(self, claim: Claim, templates: Templates, policy: PolicyDocument) -> None:
        started = self._clock.now()
        chunk = claim.rows
        budget = call_budget(started, self._config.call_timeout, claim.lease_until)
        if first_call_start(started, self._config.call_timeout, policy.quiet_hours) > started or not budget:
            await self._queue.put_back(claim)  # quiet hours near since the claim, or its lease nearly spent
            return
        if await self._queue.paused(started):
            await self._queue.put_back(claim)  # ops paused since the round's claim: the rest waits for resume
            return
        results: dict[int, AttemptResult] = {}
        outgoing: dict[str, list[tuple[ClaimedRow, OutgoingMessage]]] = {}
        for notification in chunk:
            if notification.channel not in self._channels:
                results[notification.id] = AttemptResult(Verdict.PERMANENT, NOT_CONFIGURED)
                continue
            try:
                text_ = message_text(templates, notification.template, notification.locale,
                                     self._params(notification))
            except TemplateError as error:
                results[notification.id] = AttemptResult(Verdict.PERMANENT, f"template error: {error}")
            else:
                outgoing.setdefault(notification.channel, []).append((notification, OutgoingMessage(
                    notification.dedupe_key, notification.user_id, notification.template, text_)))
        if outgoing:
            failpoint("notifier.before_vendor_call")
            answered = await asyncio.gather(*(self._call(channel, [m for _, m in sent], budget)
                                              for channel, sent in outgoing.items()))
            for (channel, sent), answers in zip(outgoing.items(), answered, strict=True):
                for answer in answers:
                    (VENDOR_OUTCOMES if channel == "message" else EMAIL_OUTCOMES).labels(answer.verdict).inc()
                results.update({n.id: answer for (n, _), answer in zip(sent, answers, strict=True)})
        await self._outcomes.record(results, {n.run_id for n in chunk}, policy, claim.lease_until)

    async def _call(self, channel: str, messages: list[OutgoingMessage], budget: timedelta) -> list[AttemptResult]:
        """The channel's answers, or a failed attempt for each: an answer we cannot read, or a call cut at its
        deadline, counts as a try, never as none."""
        who = "vendor" if channel == "message" else "mail server"
        try:
            with VENDOR_CALL_SECONDS.time() if channel == "message" else contextlib.nullcontext():
                async with asyncio.timeout(budget.total_seconds()):
                    return await self._channels[channel].send_batch(messages)
        except TimeoutError:
            log.warning("%s call cut after %.1f s (its whole-call deadline)", who, budget.total_seconds())
            return [AttemptResult(Verdict.TRANSIENT, f"{who} call cut at its deadline")] * len(messages)
        except Exception as error:
            if channel == "message":
                log.exception("%s call failed", who)
            else:  # no traceback: its message may repeat an address (personal data never reaches a log)
                log.error("%s call failed: %s", who, type(error).__name__)
            return [AttemptResult(Verdict.TRANSIENT, f"unreadable {who} answer: {type(error).__name__}")] \
                * len(messages)

    def _params(self, notification: ClaimedRow) -> dict[str, str]:
        """The stored params, and an offer's answer link: made here, for this message only, never stored."""
        stored: dict[str, str] = notification.params
        if self._links is None:
            return stored
        return self._links.params_for(notification.template, notification.user_id, stored)


class Sender(SendRound):
    """The round on the service's database: its queue and outcomes are PostgreSQL's (adapters/)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, vendor: Vendor,
                 config: SenderConfig, rng: random.Random | None = None, worker_id: str | None = None,
                 links: AnswerLinks | None = None, email: Vendor | None = None) -> None:
        worker_id = worker_id or f"{socket.gethostname()}-{os.getpid()}"
        super().__init__(SendQueue(sessions, worker_id, batch_size=config.batch_size, lease=config.lease),
                         OutcomeRecorder(sessions, clock, worker_id, rng or random.Random()), clock, vendor, config,
                         worker_id, links, email)
