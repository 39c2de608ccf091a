"""The notifier's queue rules (SPEC §5), without infrastructure: what a request becomes, which notifications a
resend may cover, and when a pause is over."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from pydantic import TypeAdapter

from notifier_service.domain.delivery import Status
from notifier_service.domain.notifications import requested
from notifier_service.domain.pause import pause_has_lapsed, refuse_lapsed_pause
from notifier_service.domain.resend import RESENDABLE, Resend, Segment
from platform_shared.contracts.events import NotificationRequested
from platform_shared.errors import DomainError

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_a_request_for_a_rolled_back_run_arrives_cancelled() -> None:
    run_id = uuid4()
    event = NotificationRequested(occurred_at=NOW, dedupe_key=f"offer:{run_id}:u1", user_id="u1",
                                  template="WINNER_OFFER", run_id=run_id)

    assert requested(event, NOW, cancelled_runs=set()).status == Status.QUEUED
    assert requested(event, NOW, cancelled_runs={run_id}).status == Status.CANCELLED


def test_a_request_is_written_in_korean_unless_it_asks_for_english() -> None:
    event = NotificationRequested(occurred_at=NOW, dedupe_key="k", user_id="u1", template="INCIDENT_NOTICE")

    assert requested(event, NOW, cancelled_runs=set()).locale == "ko"
    assert requested(event.model_copy(update={"locale": "en"}), NOW, cancelled_runs=set()).locale == "en"


def test_a_resend_never_covers_sent_notifications() -> None:
    assert Segment().covered_statuses == RESENDABLE
    assert Segment(statuses=("sent", "dead")).covered_statuses == ("dead",)


def test_a_segment_survives_the_confirmation_round_trip() -> None:
    segment = Segment(statuses=("dead",), template="INCIDENT_NOTICE", campaign_id="c", run_id=str(uuid4()),
                      received_from=NOW, received_to=None)

    stored = TypeAdapter(Resend)  # as the two-step confirmation keeps it, as JSON
    kept = stored.dump_python(Resend.of(segment, "why"), mode="json")

    assert stored.validate_python(kept) == Resend.of(segment, "why")
    assert set(kept) == set(segment.as_params()) | {"reason"}, "flat, as confirmations always kept it"


def test_a_pause_lasts_until_its_end_and_cannot_end_in_the_past() -> None:
    assert not pause_has_lapsed(None, NOW), "until further notice"
    assert not pause_has_lapsed(NOW + timedelta(seconds=1), NOW)
    assert pause_has_lapsed(NOW, NOW)
    refuse_lapsed_pause(NOW + timedelta(minutes=5), NOW)
    with pytest.raises(DomainError):
        refuse_lapsed_pause(NOW, NOW)
