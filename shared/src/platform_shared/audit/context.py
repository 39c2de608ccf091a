"""Who and which request an audit record belongs to (SPEC §7: the authenticated account, its role and a
request id), carried from the HTTP edge to `record_action` without threading it through every use case."""

from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    account: str | None = None
    role: str | None = None


_current: ContextVar[RequestContext | None] = ContextVar("audit_request", default=None)


def begin_request(request_id: str) -> None:
    _current.set(RequestContext(request_id))


def identify_caller(account: str, role: str) -> None:
    current = _current.get()
    if current is not None:
        _current.set(replace(current, account=account, role=role))


def current_request() -> RequestContext | None:
    return _current.get()
