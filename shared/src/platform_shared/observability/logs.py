"""Structured logs: every line carries the service, the level, the time by the process clock and,
where there is one, the request id and caller (HTTP), or the event id, consumer group and run id (Kafka:
bound by the consumer, messaging/log_context.py).
JSON lines when stderr is not a terminal (a service's log file, a container), a readable rendering in a
terminal; `LOG_FORMAT=json|console` decides instead. The standard `logging` calls of the code and its
libraries go through the same chain. What is logged never carries secrets: SQL parameters are hidden by
the engine (db/engine.py) and no token, seed or password is passed to a log call."""

import logging
import os
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog
from structlog.typing import EventDict, Processor

from platform_shared.audit.context import current_request
from platform_shared.time.clock import Clock


def configure_logging(service: str, clock: Clock, *, level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """`stream`: where lines go (stderr by default)."""
    out = stream or sys.stderr
    fmt = os.environ.get("LOG_FORMAT")
    json_lines = fmt == "json" or (fmt != "console" and not out.isatty())

    def stamp(_: Any, __: str, event: EventDict) -> EventDict:
        event["time"] = clock.now().isoformat()
        event["service"] = service
        return event

    chain: list[Processor] = [structlog.contextvars.merge_contextvars, _request, structlog.stdlib.add_log_level,
                              structlog.stdlib.add_logger_name, stamp]
    renderer: list[Processor] = ([structlog.processors.format_exc_info, structlog.processors.EventRenamer("message"),
                                  structlog.processors.JSONRenderer()] if json_lines
                                 else [structlog.dev.ConsoleRenderer()])
    handler = logging.StreamHandler(out)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=chain, processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer]))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    structlog.configure(processors=[*chain, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
                        logger_factory=structlog.stdlib.LoggerFactory(),
                        wrapper_class=structlog.stdlib.BoundLogger, cache_logger_on_first_use=True)


def _request(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    request = current_request()
    if request is not None:
        event.setdefault("request_id", request.request_id)
        if request.account is not None:
            event.setdefault("account", request.account)
    return event

