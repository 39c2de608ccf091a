"""Dead-letter redrive rules: how a record carries the number of times it was dead-lettered,
which letters a redrive may send back, and a redrive's pace. Pure.

A redriven record goes back to its topic with its key, value and headers, plus `dead_letter_count`; if it
fails again, its new dead letter counts one more. Letters past `max_redrives` are not sent again: a record
that keeps failing stops, rather than loop between its topic and the dead-letter topic.

A letter sent back that fails again is known by its new letter: the same record (group, source, key and value)
dead-lettered once more (`dead_letter_count` one higher), kept after it (dead_letter_store.came_back). A
redrive reports it as failed again with that letter, never as redriven: the broker's ack says only that the
record went back, the consumer's verdict comes later (retries take seconds, the notifier's minutes)."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from platform_shared.contracts.records import DEAD_LETTER_COUNT
from platform_shared.contracts.topics import COMPACTED
from platform_shared.errors import InvalidInputError, InvalidStateError

COUNT_HEADER = DEAD_LETTER_COUNT
LEASE = timedelta(seconds=30)
"""How long a replica holds a redrive it runs without showing progress; then another one takes it over."""
MAX_LETTERS = 10_000
"""Letters one redrive may take: a bigger selection is split by time range (the task keeps their ids)."""


def dead_letter_count(headers: Sequence[tuple[str, bytes]]) -> int:
    """This dead letter's count: one more than the redriven record says, 1 for a record never redriven."""
    for name, value in headers:
        if name == COUNT_HEADER:
            try:
                return max(int(value.decode()), 0) + 1
            except ValueError:
                return 1
    return 1


def readable_headers(headers: Sequence[tuple[str, bytes]]) -> dict[str, str]:
    """The record's headers as text, the redrive count left out (a redrive writes its own)."""
    return {name: value.decode("utf-8", "replace") for name, value in headers if name != COUNT_HEADER}


def redrive_headers(original: dict[str, str], count: int) -> dict[str, str]:
    return {**original, COUNT_HEADER: str(count)}


def may_redrive(count: int, max_redrives: int, topic: str) -> bool:
    """A letter dead-lettered `count` times has been redriven count - 1 times. Never onto a compacted topic:
    the old record would become its key's newest (a stale policy for every new replica); republish the
    current state instead."""
    return count - 1 < max_redrives and topic not in COMPACTED


def refuse_too_many(chosen: int) -> None:
    if chosen > MAX_LETTERS:
        raise InvalidInputError(f"{chosen} dead letters match; one redrive takes at most {MAX_LETTERS}: "
                                "narrow the time range", field="since")


def lease_for(rate_per_second: float) -> timedelta:
    """Long enough to cover the pause before the next letter, so a slow redrive keeps its replica."""
    return LEASE + timedelta(seconds=pause_between(rate_per_second))


def refuse_empty(chosen: int, sendable: int, max_redrives: int) -> None:
    if chosen == 0:
        raise InvalidStateError("no dead letter matches: nothing to redrive", field="ids")
    if sendable == 0:
        raise InvalidStateError(f"all {chosen} chosen dead letters were redriven already, reached the maximum "
                                f"of {max_redrives} redrives, came from a compacted topic or were too big to keep "
                                "whole: look at their cause instead", field="ids")


def refuse_bad_range(since: datetime | None, until: datetime | None) -> None:
    if since is not None and until is not None and until <= since:
        raise InvalidInputError("`until` must be after `since`", field="until")


def pause_between(rate_per_second: float) -> float:
    return 1.0 / rate_per_second
