from datetime import UTC, datetime

from aiokafka import ConsumerRecord

from platform_shared.messaging.dead_letter_publisher import dead_letter_for


def test_a_dead_letter_carries_where_the_record_came_from_and_why_it_failed() -> None:
    record = ConsumerRecord(topic="draw_completed", partition=2, offset=41, timestamp=0, timestamp_type=0,
                            key=b"run-1", value=b"\xffnot json", checksum=None, serialized_key_size=5,
                            serialized_value_size=9, headers=())

    failed_at = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    letter = dead_letter_for(record, "waitlist", ValueError("bad payload"), attempts=3, failed_at=failed_at)

    assert (letter.original_topic, letter.original_partition, letter.original_offset) == ("draw_completed", 2, 41)
    assert (letter.original_key, letter.consumer_group, letter.attempts) == ("run-1", "waitlist", 3)
    assert (letter.exception_type, letter.exception_message) == ("ValueError", "bad payload")
    assert letter.failed_at == failed_at, "stamped by the service clock, not the wall clock"
    assert letter.payload == "\ufffdnot json", "undecodable bytes are replaced, not dropped"
