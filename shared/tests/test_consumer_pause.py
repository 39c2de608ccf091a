"""Which consumer groups a pause names, and when a pause holds (platform_shared/messaging/consumer_pause.py)."""

from datetime import UTC, datetime, timedelta

import pytest

from platform_shared.errors import InvalidInputError
from platform_shared.messaging.consumer_pause import DesiredState, chosen_groups, refuse_past_until

CONSUMERS = {"waitlist": "draw_completed", "waitlist.rollbacks": "draw_rolled_back",
             "waitlist.policy": "policy_changed", "waitlist.deliveries": "notification_delivered"}
NOW = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)


def test_a_pause_names_groups_or_a_topic_or_the_whole_service() -> None:
    assert chosen_groups(CONSUMERS, groups=["waitlist"], topic=None) == ["waitlist"]
    assert chosen_groups(CONSUMERS, groups=None, topic="draw_rolled_back") == ["waitlist.rollbacks"]
    assert chosen_groups(CONSUMERS, groups=None, topic=None) == sorted(CONSUMERS)


def test_an_unknown_group_or_topic_is_refused_by_field_naming_what_exists() -> None:
    with pytest.raises(InvalidInputError, match=r"no consumer group 'notifier'.*waitlist\.deliveries") as refused:
        chosen_groups(CONSUMERS, groups=["waitlist", "notifier"], topic=None)
    assert refused.value.field == "groups"
    with pytest.raises(InvalidInputError, match="does not consume topic 'offers'") as refused:
        chosen_groups(CONSUMERS, groups=None, topic="offers")
    assert refused.value.field == "topic"
    with pytest.raises(InvalidInputError, match="not both"):
        chosen_groups(CONSUMERS, groups=["waitlist"], topic="draw_completed")


def test_a_pause_with_an_end_lifts_itself_and_a_resume_never_holds() -> None:
    until = NOW + timedelta(minutes=30)
    paused = DesiredState(True, until, "vendor incident", "admin", NOW)
    assert paused.holds(NOW) and paused.holds(until - timedelta(microseconds=1))
    assert not paused.holds(until)
    assert DesiredState(True, None, "incident", "admin", NOW).holds(NOW + timedelta(days=365))
    assert not DesiredState(False, None, "fixed", "admin", NOW).holds(NOW)


def test_an_end_in_the_past_is_refused() -> None:
    refuse_past_until(None, NOW)
    refuse_past_until(NOW + timedelta(seconds=1), NOW)
    with pytest.raises(InvalidInputError, match="not in the future") as refused:
        refuse_past_until(NOW, NOW)
    assert refused.value.field == "until"
