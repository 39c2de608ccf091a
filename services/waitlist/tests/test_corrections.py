"""A rollback's re-run tells each person their net change (runbook §3.5 step 3, §14.2), without infrastructure:
kept, lost, newly won or nothing, measured against what they were told; each notice filed under the re-run."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from waitlist_service.domain.corrections import Correction, NetChange
from waitlist_service.domain.offers import new_offers

NOW = datetime(2026, 12, 8, 12, 2, tzinfo=UTC)
OLD = uuid4()
CORRECTION = Correction(rolled_back_run_id=OLD, reason="좌석 수 오기", rolled_back_at=NOW - timedelta(hours=1),
                        told=frozenset({"kept", "lost"}))


@pytest.mark.parametrize(("user_id", "seated", "change"), [
    ("kept", True, NetChange.KEPT), ("lost", False, NetChange.LOST), ("new", True, NetChange.WON),
    ("bystander", False, None),
])
def test_the_net_change_is_measured_against_what_the_person_was_told(user_id: str, seated: bool,
                                                                     change: NetChange | None) -> None:
    assert CORRECTION.change_for(user_id, seated) == change


def test_those_told_of_a_seat_who_hold_none_in_the_re_run_lost_it() -> None:
    assert CORRECTION.lost(["kept", "new"]) == ["lost"]
    assert CORRECTION.lost(["kept", "lost"]) == [], "the same winners again: nobody lost anything"


def test_a_kept_seat_is_told_it_stands_and_a_new_winner_gets_the_ordinary_offer_both_under_the_re_run() -> None:
    rerun = uuid4()
    kept, new = new_offers(rerun, "c-1", [(1, "kept"), (2, "new")], "draw", NOW, NOW + timedelta(hours=24))

    stands = CORRECTION.offer_notice(kept, "겨울 콘서트")
    ordinary = CORRECTION.offer_notice(new, "겨울 콘서트")

    assert (stands.template, ordinary.template) == ("SEAT_CONFIRMED", "WINNER_OFFER")
    assert stands.run_id == ordinary.run_id == rerun
    assert stands.dedupe_key == f"offer:{rerun}:kept", "one message per person per run, whichever it is"
    assert stands.params == {"campaign_id": "c-1", "campaign_name": "겨울 콘서트", "offer_id": str(kept.id),
                             "respond_by": (NOW + timedelta(hours=24)).isoformat(), "reason": "좌석 수 오기",
                             "rolled_back_run_id": str(OLD)}
    assert ordinary.params == {"campaign_id": "c-1", "campaign_name": "겨울 콘서트", "offer_id": str(new.id),
                               "respond_by": (NOW + timedelta(hours=24)).isoformat()}


def test_a_lost_seat_gets_the_correction_with_the_reason_and_when_once_per_rolled_back_run() -> None:
    rerun = uuid4()

    notice = CORRECTION.loss_notice("lost", rerun, "c-1", None, NOW)

    assert (notice.template, notice.run_id, notice.user_id) == ("DRAW_ROLLBACK_NOTICE", rerun, "lost")
    assert notice.dedupe_key == f"rollback:{OLD}:lost"
    assert notice.params == {"campaign_id": "c-1", "campaign_name": "c-1", "reason": "좌석 수 오기",
                             "rolled_back_at": (NOW - timedelta(hours=1)).isoformat(),
                             "rolled_back_run_id": str(OLD)}
