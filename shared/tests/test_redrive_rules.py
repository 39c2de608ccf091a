"""How a record carries its dead-letter count through redrives, and where redrives stop (issue 14)."""

import pytest

from platform_shared.errors import InvalidStateError
from platform_shared.messaging.redrive_rules import (
    dead_letter_count,
    may_redrive,
    readable_headers,
    redrive_headers,
    refuse_empty,
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


def test_redrives_stop_at_the_maximum() -> None:
    assert [may_redrive(count, max_redrives=2) for count in (1, 2, 3)] == [True, True, False]


def test_an_empty_or_spent_selection_says_why() -> None:
    with pytest.raises(InvalidStateError, match="nothing to redrive"):
        refuse_empty(0, 0, 2)
    with pytest.raises(InvalidStateError, match=r"all 3 chosen .* maximum of 2 redrives"):
        refuse_empty(3, 0, 2)
    refuse_empty(3, 1, 2)
