"""A dead letter must fit Kafka's message limit (1 MB by default) with its record inside it, JSON-escaped: a
malformed record of 900 kB made of quotes becomes a 1.8 MB letter, the broker refuses it, and the consumer,
which must not commit past a record before its letter is out, retried the publish forever with its partition
stuck. So a letter that would be too big keeps the record's beginning, its size and its SHA-256;
the record itself stays at its topic, partition and offset. Pure."""

import hashlib

from platform_shared.contracts.events import DeadLetter

LETTER_LIMIT = 512 * 1024
"""Bytes of a letter's JSON: half the broker's default limit, room to spare for its key and headers."""
PREVIEW_CHARACTERS = 2_000
"""What a cut letter keeps of the record: enough to see what it was (at most 12 kB escaped)."""
KEY_BYTES = 1_024
"""A record key longer than this travels (as the letter's key, and in `original_key`) as its SHA-256."""


def letter_key(key: bytes | None) -> bytes | None:
    """The letter's own Kafka key: the record's, unless that alone would crowd the letter out of the limit."""
    if key is None or len(key) <= KEY_BYTES:
        return key
    return b"sha256:" + hashlib.sha256(key).hexdigest().encode()


def fitted(letter: DeadLetter, value: bytes, key: bytes | None) -> DeadLetter:
    """`letter` as it is if it fits, else cut to its record's beginning, without the record's headers, and with
    a key too long to keep named by its hash."""
    if len(letter.model_dump_json().encode()) <= LETTER_LIMIT:
        return letter
    cut_key = letter_key(key)
    return letter.model_copy(update={
        "payload": letter.payload[:PREVIEW_CHARACTERS], "original_headers": {}, "payload_truncated": True,
        "payload_bytes": len(value), "payload_sha256": hashlib.sha256(value).hexdigest(),
        "original_key": cut_key.decode("utf-8", "replace") if cut_key is not None else None})
