from datetime import UTC, datetime
from uuid import uuid4

import pytest
from pydantic import ValidationError

from platform_shared.contracts.events import RESULTS_PER_PART, DrawCompleted, NotificationRequested, RankedEntrant

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_a_part_of_the_largest_draw_stays_far_below_the_kafka_limit() -> None:
    # The longest user id we accept is 100 characters; a full part of those must still fit.
    part = DrawCompleted(
        occurred_at=NOW, run_id=uuid4(), campaign_id="c" * 100, seats=100_000, waitlist_size=0,
        policy_version=1, part=1, part_count=50,
        winners=tuple(RankedEntrant(rank=100_000 - n, user_id="9" * 100) for n in range(RESULTS_PER_PART)),
        waitlist=(),
    )
    assert len(part.model_dump_json().encode()) < 512 * 1024


def test_an_event_survives_the_wire_unchanged() -> None:
    event = NotificationRequested(occurred_at=NOW, dedupe_key="offer:r:1", user_id="1", template="WINNER_OFFER",
                                  params={"respond_by": "tomorrow"}, run_id=uuid4())
    assert NotificationRequested.model_validate_json(event.model_dump_json()) == event


@pytest.mark.parametrize("payload", [
    b"{not json",
    b'{"occurred_at": "2026-11-26T12:00:00Z", "dedupe_key": "k", "user_id": "1", "template": "NOPE"}',
    b'{"occurred_at": "2026-11-26T12:00:00", "dedupe_key": "k", "user_id": "1", "template": "WINNER_OFFER"}',
    b'{"occurred_at": "2026-11-26T12:00:00Z", "dedupe_key": "k", "user_id": "1", "template": "WINNER_OFFER",'
    b' "surprise": 1}',
])
def test_malformed_or_unknown_payloads_are_refused(payload: bytes) -> None:
    with pytest.raises(ValidationError):
        NotificationRequested.model_validate_json(payload)
