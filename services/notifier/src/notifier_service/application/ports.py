"""What the sender's round (send_round.py) needs of the world, as Protocols: the queue it holds, claims and
puts back, the record of what the vendor answered, and the vendor. The service runs them on PostgreSQL
(adapters/send_queue.py, adapters/outcomes.py) and over HTTP (adapters/vendor.py); the unit tier runs the same
round on memory twins (tests/memory_notifier.py), one scenario for both (tests/test_send_round_scenario.py)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from notifier_service.adapters.vendor import OutgoingMessage
from notifier_service.domain.claims import Claim
from notifier_service.domain.delivery import AttemptResult
from notifier_service.domain.wording import Templates
from platform_shared.contracts.policy import PolicyDocument


class ClaimQueue(Protocol):
    """The notification queue as one sender sees it (runbook §6.2, §6.3): its claims are its worker's."""

    async def policy_and_templates(self) -> tuple[PolicyDocument, Templates]:
        """The policy in force and the templates ((name, locale) → body), read once per round."""
        ...

    async def hold(self, release_from: datetime, policy: PolicyDocument) -> int:
        """Everything due by `release_from` held, with release slots from then on (after any already handed
        out), in arrival order, `1 / release_rate` apart. Answers how many were held."""
        ...

    async def reslot_off_schedule(self, now: datetime, policy: PolicyDocument) -> None:
        """The held backlog's slots handed out again from now, same order, when they no longer fit
        (domain/release.py)."""
        ...

    async def releasing(self, now: datetime) -> bool:
        """Whether held notifications still wait for a slot after `now`."""
        ...

    async def paused(self, now: datetime) -> bool:
        """Whether ops paused sending; a pause whose end has passed is lifted here, for every replica."""
        ...

    async def claim(self, now: datetime) -> Claim:
        """Due notifications (and those whose sender's lease ran out), oldest slot first, one batch, each
        attempt counted."""
        ...

    async def put_back(self, claim: Claim) -> None:
        """The claim's notifications queued again, their attempt not counted, if the claim is still this one."""
        ...


class OutcomeStore(Protocol):
    async def record(self, results: dict[int, AttemptResult], run_ids: set[UUID | None], policy: PolicyDocument,
                     lease_until: datetime) -> None:
        """All outcomes of one vendor call at once: sent, retry with backoff, or dead with its dead letter
        (runbook §6.3); only for notifications whose claim is still the one that ends at `lease_until`."""
        ...


class Vendor(Protocol):
    async def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[AttemptResult]:
        """One result per message, in order."""
        ...
