"""New offers and their notifications (SPEC §4), without infrastructure."""

from datetime import datetime, timedelta
from uuid import uuid4

from platform_shared.time.clock import KST
from waitlist_service.domain.offers import new_offers
from waitlist_service.domain.seats import OfferStatus

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=KST)


def test_a_winner_is_offered_the_seat_and_told_with_a_winner_offer() -> None:
    run_id = uuid4()
    [offer] = new_offers(run_id, "c1", [(1, "u1")], "draw", NOON, NOON + timedelta(hours=24))
    note = offer.notification()

    assert (offer.status, offer.rank, offer.source) == (OfferStatus.OFFERED, 1, "draw")
    assert (note.template, note.user_id, note.run_id, note.campaign_id) == ("WINNER_OFFER", "u1", run_id, "c1")
    assert note.params == {"campaign_id": "c1", "campaign_name": "c1", "offer_id": str(offer.id),
                           "respond_by": (NOON + timedelta(hours=24)).isoformat()}


def test_a_promoted_person_gets_a_promotion_notice_under_the_same_key_as_any_offer_of_theirs() -> None:
    run_id = uuid4()
    [winner] = new_offers(run_id, "c1", [(4, "u4")], "draw", NOON, NOON)
    [promoted] = new_offers(run_id, "c1", [(4, "u4")], "declined", NOON, NOON)

    assert promoted.notification().template == "WAITLIST_PROMOTION"
    assert promoted.notification().dedupe_key == winner.notification().dedupe_key == f"offer:{run_id}:u4", \
        "one logical notification per person and run: the notifier sends it once"
    assert promoted.id != winner.id


def test_rows_carry_every_column_of_an_offer() -> None:
    [offer] = new_offers(uuid4(), "c1", [(2, "u2")], "manual", NOON, NOON)
    assert set(offer.as_row()) == {"id", "run_id", "campaign_id", "user_id", "rank", "source", "status",
                                   "offered_at", "respond_by"}
