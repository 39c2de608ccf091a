"""A dead letter always fits Kafka's message limit: whatever the record's value, headers or key."""

import hashlib
from datetime import UTC, datetime

from platform_shared.contracts.events import DeadLetter
from platform_shared.messaging.letter_size import LETTER_LIMIT, fitted, letter_key


def letter(payload: str, key: str | None = None) -> DeadLetter:
    return DeadLetter(original_topic="draw_completed", original_partition=0, original_offset=7, original_key=key,
                      consumer_group="waitlist", exception_type="ValidationError", exception_message="bad",
                      attempts=1, payload=payload, failed_at=datetime(2026, 12, 1, tzinfo=UTC),
                      original_headers={"event_id": "x"})


def test_a_small_letter_is_kept_whole() -> None:
    small = letter('{"ok": 1}', key="run-1")
    assert fitted(small, b'{"ok": 1}', b"run-1") is small


def test_a_letter_too_big_keeps_the_records_beginning_size_and_hash() -> None:
    value = b'"' * 900_000  # escaped: 1.8 MB
    cut = fitted(letter(value.decode()), value, b"run-1")
    assert len(cut.model_dump_json().encode()) <= LETTER_LIMIT
    assert cut.payload_truncated and cut.payload_bytes == len(value)
    assert cut.payload_sha256 == hashlib.sha256(value).hexdigest() and cut.original_headers == {}


def test_a_huge_key_travels_as_its_hash() -> None:
    key = b"k" * 600_000
    cut = fitted(letter("x", key=key.decode()), b"x", key)
    assert len(cut.model_dump_json().encode()) <= LETTER_LIMIT
    assert letter_key(key) == b"sha256:" + hashlib.sha256(key).hexdigest().encode()
    assert cut.original_key == "sha256:" + hashlib.sha256(key).hexdigest()
    assert letter_key(b"run-1") == b"run-1"
