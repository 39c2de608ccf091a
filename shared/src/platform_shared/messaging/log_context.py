"""What a consumer is working on, on every log line it writes while it works (observability/logs.py): bound
here, where the event is applied, and rendered by the chain `observability/logs.py` configures."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog


@contextmanager
def consuming(group: str, event: Any) -> Iterator[None]:
    """While one event is applied: its id, the consumer group and the run it belongs to, on every line."""
    context = {"consumer_group": group, "event_id": str(getattr(event, "event_id", "")) or None}
    run_id = getattr(event, "run_id", None)
    if run_id is not None:
        context["run_id"] = str(run_id)
    with structlog.contextvars.bound_contextvars(**{k: v for k, v in context.items() if v is not None}):
        yield
