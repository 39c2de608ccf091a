from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, uuid5

import pytest

from platform_shared.contracts.policy import PolicyDocument
from platform_shared.errors import ConflictError, InvalidStateError
from platform_shared.time.clock import KST
from waitlist_service.domain.seats import (
    Answer,
    OfferStatus,
    OfferView,
    WaitingView,
    check_answer,
    plan_pass,
    respond_by,
)

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=KST)


def offer(user: str, rank: int, status: str = OfferStatus.OFFERED, due: datetime = NOON + timedelta(hours=24),
          delivered: bool = True) -> OfferView:
    return OfferView(offer_id=uuid5(NAMESPACE_URL, f"o-{user}"), user_id=user, rank=rank, status=status, respond_by=due,
                     delivered=delivered)


def test_an_offer_made_at_2330_kst_gets_its_deadline_counted_from_0800() -> None:
    made = datetime(2026, 12, 1, 23, 30, tzinfo=KST)
    assert respond_by(made, PolicyDocument()) == datetime(2026, 12, 3, 8, 0, tzinfo=KST)


def test_an_offer_made_in_the_day_gets_the_plain_timeout() -> None:
    assert respond_by(NOON, PolicyDocument(response_timeout_hours=6)) == NOON + timedelta(hours=6)


def test_answers_after_the_deadline_twice_or_on_a_void_offer_are_refused() -> None:
    assert check_answer(offer("a", 1), Answer.ACCEPT, NOON) == OfferStatus.ACCEPTED
    assert check_answer(offer("a", 1), Answer.DECLINE, NOON) == OfferStatus.DECLINED
    with pytest.raises(ConflictError, match="deadline"):
        check_answer(offer("a", 1), Answer.ACCEPT, NOON + timedelta(hours=24))
    with pytest.raises(ConflictError, match="already answered"):
        check_answer(offer("a", 1, OfferStatus.ACCEPTED), Answer.DECLINE, NOON)
    with pytest.raises(InvalidStateError, match="rolled back"):
        check_answer(offer("a", 1, OfferStatus.VOID), Answer.ACCEPT, NOON)


def test_a_pass_expires_overdue_offers_and_fills_their_seats_in_rank_order() -> None:
    offers = [offer("a", 1, due=NOON), offer("b", 2), offer("c", 3, OfferStatus.DECLINED)]
    waiting = [WaitingView(4, "d"), WaitingView(5, "e"), WaitingView(6, "f")]

    plan = plan_pass(3, offers, waiting, NOON, void=False)

    assert [o.user_id for o in plan.expire] == ["a"]
    assert [p.user_id for p in plan.promote] == ["d", "e"]
    assert (plan.seats_left, plan.waitlist_exhausted) == (0, False)


def test_someone_who_already_holds_an_offer_is_skipped_never_offered_twice() -> None:
    plan = plan_pass(2, [offer("a", 1)], [WaitingView(3, "a"), WaitingView(4, "b")], NOON, void=False)
    assert [p.user_id for p in plan.promote] == ["b"] and [s.user_id for s in plan.skip] == ["a"]


def test_free_seats_with_nobody_waiting_exhaust_the_waitlist() -> None:
    plan = plan_pass(3, [offer("a", 1)], [WaitingView(4, "d")], NOON, void=False)
    assert (len(plan.promote), plan.seats_left, plan.waitlist_exhausted) == (1, 1, True)


def test_nothing_happens_to_a_void_run() -> None:
    plan = plan_pass(3, [offer("a", 1, due=NOON)], [WaitingView(4, "d")], NOON, void=True)
    assert plan.expire == () and plan.promote == ()


def test_an_offer_nobody_was_told_of_is_not_expired_nor_refused_as_late() -> None:
    """Issue 15: its deadline runs only once its notification went out."""
    silent = offer("u1", 1, due=NOON - timedelta(hours=1), delivered=False)
    plan = plan_pass(1, [silent], [WaitingView(2, "u2")], NOON, void=False)
    assert plan.expire == () and plan.promote == ()
    assert check_answer(silent, Answer.ACCEPT, NOON) == OfferStatus.ACCEPTED
