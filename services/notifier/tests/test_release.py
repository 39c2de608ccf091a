from datetime import UTC, datetime, timedelta

from notifier_service.domain.release import backlog_off_schedule, first_free_slot, release_gap

NOW = datetime(2026, 12, 2, 8, 0, 30, tzinfo=UTC)


def test_a_backlog_being_released_on_time_keeps_its_slots() -> None:
    assert not backlog_off_schedule(NOW, NOW)
    assert not backlog_off_schedule(NOW - timedelta(milliseconds=900), NOW)
    assert not backlog_off_schedule(None, NOW), "nothing held"


def test_slots_long_past_are_handed_out_again_so_the_vendor_is_not_flooded() -> None:
    assert backlog_off_schedule(NOW - timedelta(minutes=5), NOW)


def test_slots_waiting_for_a_window_the_policy_no_longer_has_are_handed_out_from_now() -> None:
    assert backlog_off_schedule(NOW + timedelta(hours=1), NOW)


def test_new_arrivals_queue_behind_the_slots_already_handed_out_at_the_policys_rate() -> None:
    release_from = datetime(2026, 12, 7, 23, 0, tzinfo=UTC)  # 08:00 KST
    gap = release_gap(20.0)

    assert gap == timedelta(milliseconds=50)
    assert first_free_slot(None, release_from, gap) == release_from, "nothing waits: the release itself"
    last = release_from + timedelta(seconds=90)
    assert first_free_slot(last, release_from, gap) == last + gap, "behind everyone held before"
