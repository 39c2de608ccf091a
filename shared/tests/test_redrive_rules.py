"""How a record carries its dead-letter count through redrives, and where redrives stop."""

from datetime import timedelta

import pytest

from platform_shared.errors import InvalidInputError, InvalidStateError
from platform_shared.messaging.redrive_rules import (
    dead_letter_count,
    lease_for,
    may_redrive,
    readable_headers,
    redrive_headers,
    refuse_empty,
    refuse_too_many,
)


def test_a_record_counts_one_more_each_time_it_comes_back() -> None:
    assert dead_letter_count([]) == 1
    assert dead_letter_count([("event_type", b"DrawCompleted")]) == 1
    assert dead_letter_count([("dead_letter_count", b"1")]) == 2
    assert dead_letter_count([("dead_letter_count", b"x")]) == 1, "an unreadable count starts over, not crashes"


def test_a_redrive_keeps_the_headers_and_writes_its_own_count() -> None:
    original = readable_headers([("event_type", b"DrawCompleted"), ("dead_letter_count", b"1"), ("bad", b"\xff")])
    assert original == {"event_type": "DrawCompleted", "bad": "\ufffd"}
    assert redrive_headers(original, 2) == {"event_type": "DrawCompleted", "bad": "\ufffd", "dead_letter_count": "2"}


def test_redrives_stop_at_the_maximum_and_never_go_onto_a_compacted_topic() -> None:
    assert [may_redrive(count, 2, "draw_completed") for count in (1, 2, 3)] == [True, True, False]
    assert not may_redrive(1, 2, "policy_changed"), "an old snapshot would become the newest for every new replica"


def test_a_slow_redrive_keeps_its_lease_over_its_pause_and_a_huge_one_is_refused() -> None:
    assert lease_for(0.01) > timedelta(seconds=100)
    refuse_too_many(10_000)
    with pytest.raises(InvalidInputError, match="at most 10000"):
        refuse_too_many(10_001)


def test_an_empty_or_spent_selection_says_why() -> None:
    with pytest.raises(InvalidStateError, match="nothing to redrive"):
        refuse_empty(0, 0, 2)
    with pytest.raises(InvalidStateError, match=r"all 3 chosen .* maximum of 2 redrives"):
        refuse_empty(3, 0, 2)
    refuse_empty(3, 1, 2)
