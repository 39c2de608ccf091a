"""Dead-letter redrive rules (issue 14): how a record carries the number of times it was dead-lettered,
which letters a redrive may send back, and a redrive's pace. Pure.

A redriven record goes back to its topic with its key, value and headers, plus `dead_letter_count`; if it
fails again, its new dead letter counts one more. Letters past `max_redrives` are not sent again: a record
that keeps failing stops, rather than loop between its topic and the dead-letter topic."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from platform_shared.errors import InvalidInputError, InvalidStateError

COUNT_HEADER = "dead_letter_count"
LEASE = timedelta(seconds=30)
"""How long a replica holds a redrive it runs without showing progress; then another one takes it over."""


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


def may_redrive(count: int, max_redrives: int) -> bool:
    """A letter dead-lettered `count` times has been redriven count - 1 times."""
    return count - 1 < max_redrives


def refuse_empty(chosen: int, sendable: int, max_redrives: int) -> None:
    if chosen == 0:
        raise InvalidStateError("no dead letter matches: nothing to redrive", field="ids")
    if sendable == 0:
        raise InvalidStateError(f"all {chosen} chosen dead letters were redriven already or reached the maximum "
                                f"of {max_redrives} redrives: look at their cause instead", field="ids")


def refuse_bad_range(since: datetime | None, until: datetime | None) -> None:
    if since is not None and until is not None and until <= since:
        raise InvalidInputError("`until` must be after `since`", field="until")


def pause_between(rate_per_second: float) -> float:
    return 1.0 / rate_per_second
