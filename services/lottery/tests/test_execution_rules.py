"""Running a draw, as pure rules: execute refuses whatever changed since prepare; results go out in parts."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from lottery_service.domain.execution import (
    PreparedDraw,
    completion_events,
    draw_time_reached,
    refuse_if_changed,
    refuse_if_early,
)
from platform_shared.contracts.events import RolledBackRun
from platform_shared.errors import ConflictError, InvalidStateError

PREPARED = PreparedDraw(entry_set_hash="ab" * 32, policy_version=3, weight_cap=10.0, seats=2, waitlist_size=3,
                        previous_run_id=None)


def test_nothing_changed_means_execute_may_run() -> None:
    refuse_if_changed(PREPARED, replace(PREPARED))


@pytest.mark.parametrize(("change", "message"), [
    ({"previous_run_id": str(uuid4())}, "another run of this draw happened"),
    ({"policy_version": 4}, "the policy changed"),
    ({"seats": 3}, "seats or waitlist size changed"),
    ({"waitlist_size": 0}, "seats or waitlist size changed"),
    ({"entry_set_hash": "cd" * 32}, "the eligible entries changed"),
])
def test_any_change_since_prepare_refuses_with_what_changed(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConflictError, match=message) as refused:
        refuse_if_changed(PREPARED, replace(PREPARED, **change))
    assert refused.value.field == "token"


def test_the_token_carries_the_prepared_draw_as_plain_values() -> None:
    assert PreparedDraw(**PREPARED.as_params()) == PREPARED
    early = replace(PREPARED, early_reason="the sponsor moved the broadcast up")
    assert PreparedDraw(**early.as_params()) == early


DRAW_AT = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)  # 20:00 KST


def test_before_its_time_a_draw_runs_only_on_an_override_with_a_reason() -> None:
    a_minute_early = DRAW_AT - timedelta(minutes=1)
    assert not draw_time_reached(DRAW_AT, a_minute_early)
    with pytest.raises(InvalidStateError, match=r"due at 2026-12-01 20:00 KST \(now 2026-12-01 19:59 KST\)") as refused:
        refuse_if_early(DRAW_AT, a_minute_early, None)
    assert refused.value.field == "early_reason"
    refuse_if_early(DRAW_AT, a_minute_early, "the sponsor moved the broadcast up")


def test_from_its_time_on_a_draw_runs_without_an_override() -> None:
    assert draw_time_reached(DRAW_AT, DRAW_AT)
    refuse_if_early(DRAW_AT, DRAW_AT, None)
    refuse_if_early(DRAW_AT, DRAW_AT + timedelta(days=3), None)


def test_results_go_out_in_parts_in_rank_order_winners_first() -> None:
    run_id, at = uuid4(), datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    events = completion_events(run_id=run_id, campaign_id="c1", seats=3, waitlist_size=4, policy_version=2,
                               ranked_user_ids=[70, 71, 72, 73, 74, 75, 76], per_part=3, occurred_at=at)

    assert [(e.part, e.part_count) for e in events] == [(1, 3), (2, 3), (3, 3)]
    assert [[w.user_id for w in e.winners] for e in events] == [["70", "71", "72"], [], []]
    assert [[r.rank for r in e.waitlist] for e in events] == [[], [4, 5, 6], [7]]
    assert {(e.run_id, e.occurred_at, e.seats, e.waitlist_size, e.policy_version) for e in events} == \
        {(run_id, at, 3, 4, 2)}
    assert len({e.event_id for e in events}) == 3, "each part is its own event"
    assert {(e.campaign_name, e.display_name, e.re_draws) for e in events} == {(None, "c1", None)}, \
        "no display name: the id stands in"


def test_a_re_run_names_the_campaign_and_the_run_it_re_draws() -> None:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    previous = RolledBackRun(run_id=uuid4(), reason="seat count was wrong", rolled_back_at=at)
    events = completion_events(run_id=uuid4(), campaign_id="c1", seats=1, waitlist_size=0, policy_version=2,
                               ranked_user_ids=[70], per_part=3, occurred_at=at, campaign_name="겨울 콘서트",
                               re_draws=previous)

    assert [(e.display_name, e.re_draws) for e in events] == [("겨울 콘서트", previous)]
