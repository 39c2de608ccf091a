"""Structured log lines: JSON with the service, level, time by the process clock, and what a
consumer is working on; plain `logging` calls included."""

import io
import json
import logging
from collections.abc import Iterator
from contextvars import copy_context
from datetime import UTC, datetime
from uuid import uuid4

import pytest
import structlog

from platform_shared.audit.context import begin_request, identify_caller
from platform_shared.contracts.events import DrawRolledBack
from platform_shared.messaging.log_context import consuming
from platform_shared.observability.logs import configure_logging
from platform_shared.time.clock import FixedClock

AT = datetime(2026, 11, 27, 14, 59, 30, tzinfo=UTC)


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """The process's logging, configured as a service does, writing to a buffer that is not a terminal."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    out = io.StringIO()
    configure_logging("waitlist", FixedClock(AT), stream=out)
    yield out
    root.handlers, root.level = handlers, level
    structlog.reset_defaults()


def read(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_consumers_line_names_the_event_the_group_and_the_run(stream: io.StringIO) -> None:
    event = DrawRolledBack(occurred_at=AT, run_id=uuid4(), campaign_id="c1", reason="wrong seat count")
    with consuming("waitlist.rollbacks", event):
        logging.getLogger("waitlist_service.intake").warning("voiding run %s", event.run_id)
    logging.getLogger("elsewhere").info("after")
    first, after = read(stream)
    assert first == {"message": f"voiding run {event.run_id}", "level": "warning", "logger": "waitlist_service.intake",
                     "time": AT.isoformat(), "service": "waitlist", "consumer_group": "waitlist.rollbacks",
                     "event_id": str(event.event_id), "run_id": str(event.run_id)}
    assert "event_id" not in after and after["message"] == "after", "the context ends with the event"


def test_a_requests_line_names_the_request_and_the_caller(stream: io.StringIO) -> None:
    def during_a_request() -> None:  # in a context of its own, as each request has: nothing leaks out
        begin_request("req-42")
        identify_caller("admin", "admin")
        structlog.get_logger("platform_shared.application.redrive").info("redrive started", letters=3)

    copy_context().run(during_a_request)
    [line] = read(stream)
    assert (line["request_id"], line["account"], line["letters"], line["level"]) == ("req-42", "admin", 3, "info")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_in_a_terminal_lines_are_for_people() -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    out = Terminal()
    try:
        configure_logging("waitlist", FixedClock(AT), stream=out)
        logging.getLogger("waitlist_service.intake").warning("voiding run %s", "r1")
    finally:
        root.handlers, root.level = handlers, level
        structlog.reset_defaults()
    assert "voiding run r1" in out.getvalue() and not out.getvalue().startswith("{")
