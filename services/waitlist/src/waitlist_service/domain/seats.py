"""Seats, offers and the waitlist of one draw run (SPEC §4), as pure rules.

Invariants every caller relies on:
- at most one offer per person per run (no double win);
- held seats (offered + accepted) never exceed the run's seats;
- promotion takes waiting people strictly in rank order;
- nothing is promoted once the run is void (rolled back);
- an offer's deadline runs only once its notification was delivered: one nobody was told of never
  expires, however long the notifier was paused or backlogged; the delivery gives it the whole window.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from platform_shared.contracts.policy import PolicyDocument
from platform_shared.errors import ConflictError, InvalidStateError
from platform_shared.time.quiet_hours import next_deliverable


class OfferStatus(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    VOID = "void"


HELD = (OfferStatus.OFFERED, OfferStatus.ACCEPTED)


class EntryStatus(StrEnum):
    """A place on the waitlist: waiting until a pass promotes it (an offer made) or skips it (the person
    already holds an offer in this run); void when the run is rolled back."""

    WAITING = "waiting"
    PROMOTED = "promoted"
    SKIPPED = "skipped"
    VOID = "void"


class Answer(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"


@dataclass(frozen=True)
class OfferView:
    offer_id: UUID
    user_id: str
    rank: int
    status: str
    respond_by: datetime
    delivered: bool
    """Whether its answer window runs: its notification went out (until then its deadline waits)."""

    def overdue(self, now: datetime) -> bool:
        return self.delivered and now >= self.respond_by


@dataclass(frozen=True)
class WaitingView:
    rank: int
    user_id: str


@dataclass(frozen=True)
class PassPlan:
    """What one promotion pass does: expire overdue offers, then fill free seats in rank order."""

    expire: tuple[OfferView, ...]
    promote: tuple[WaitingView, ...]
    skip: tuple[WaitingView, ...]
    """Waiting people who already hold an offer in this run: passed over, never offered twice."""
    seats_left: int
    waitlist_exhausted: bool


def respond_by(offered_at: datetime, policy: PolicyDocument) -> datetime:
    """The answer deadline counts from when the offer can first be delivered, so quiet hours never
    eat into it: an offer made at 23:30 KST gets its 24 hours from 08:00."""
    return next_deliverable(offered_at, policy.quiet_hours) + timedelta(hours=policy.response_timeout_hours)


def check_answer(offer: OfferView, answer: Answer, now: datetime) -> OfferStatus:
    """The new status of an answered offer, or a clear error (and nothing changes)."""
    if offer.status == OfferStatus.VOID:
        raise InvalidStateError("this offer is void: the draw was rolled back", field="offer_id")
    if offer.status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED):
        raise ConflictError(f"this offer was already answered ({offer.status})", field="offer_id")
    if offer.status == OfferStatus.EXPIRED or offer.overdue(now):
        raise ConflictError(f"the answer deadline passed at {offer.respond_by.isoformat()}", field="offer_id")
    return OfferStatus.ACCEPTED if answer == Answer.ACCEPT else OfferStatus.DECLINED


def plan_pass(seats: int, offers: list[OfferView], waiting: list[WaitingView], now: datetime,
              *, void: bool) -> PassPlan:
    """`waiting` must hold the run's waiting people in rank order."""
    if void:
        return PassPlan((), (), (), 0, False)
    expire = tuple(o for o in offers if o.status == OfferStatus.OFFERED and o.overdue(now))
    expiring = {id(o) for o in expire}
    held = sum(1 for o in offers if o.status in HELD and id(o) not in expiring)
    free = max(0, seats - held)
    offered_users = {o.user_id for o in offers}
    promote: list[WaitingView] = []
    skip: list[WaitingView] = []
    for person in waiting:
        if len(promote) == free:
            break
        if person.user_id in offered_users:
            skip.append(person)
            continue
        promote.append(person)
        offered_users.add(person.user_id)
    return PassPlan(expire, tuple(promote), tuple(skip), seats_left=free - len(promote),
                    waitlist_exhausted=free > len(promote))
