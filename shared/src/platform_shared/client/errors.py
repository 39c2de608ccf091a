"""What a call can end in besides its answer, as exceptions a caller can tell apart (web/errors.py shapes the
bodies they read)."""

from typing import Any


class AdminApiError(Exception):
    """`message`: the service's own words (its `message` and `field`, or FastAPI's field errors); `fields`: the
    same, field by field (a field's dotted path → what is wrong with it), for a form that shows each error next
    to its field."""

    def __init__(self, method: str, path: str, status: int, message: str,
                 fields: dict[str, str] | None = None, retry_after: int | None = None) -> None:
        super().__init__(f"{method} {path} → {status}: {message}")
        self.method, self.path, self.status, self.message = method, path, status, message
        self.fields = fields or {}
        self.retry_after = retry_after
        """Seconds to wait before trying again (a 429's or 503's `Retry-After`), when the service said."""


class Refused(AdminApiError):
    """4xx: the request was wrong or not allowed now; nothing changed."""


class NotAuthenticated(Refused):
    """401: no token, or one the service does not accept (expired, logged out)."""


class StepUpRequired(Refused):
    """403 for want of a second factor entered within the last minutes: step up, then send it again."""


class ServiceFailed(AdminApiError):
    """5xx: it may or may not have happened."""


class Unreachable(Exception):
    """No answer at all (connection refused, timeout)."""

    def __init__(self, base_url: str, cause: Exception) -> None:
        super().__init__(f"{base_url} did not answer ({type(cause).__name__})")
        self.base_url, self.cause = base_url, cause


def fields_of(body: Any) -> dict[str, str]:
    """Field → error, from a DomainError's `field` or FastAPI's validation details (the body's own location
    dropped: `body.changes.x` is the field `changes.x`)."""
    if isinstance(body, dict) and isinstance(body.get("detail"), list):
        return {".".join(str(p) for p in d.get("loc", [])[1:]): str(d.get("msg")) for d in body["detail"]
                if isinstance(d, dict)}
    if isinstance(body, dict) and body.get("field"):
        return {str(body["field"]): str(body.get("message", ""))}
    return {}


def message_of(body: Any, text: str) -> str:
    """One line from an error body: a DomainError's message and field, or FastAPI's field errors."""
    if isinstance(body, dict) and isinstance(body.get("detail"), list):
        # Field by field: a validation answer's `message` only names the fields, the details say what is wrong.
        return "; ".join(f"{'.'.join(str(p) for p in d.get('loc', [])[1:])}: {d.get('msg')}" for d in body["detail"])
    if isinstance(body, dict) and "message" in body:
        field = f" [{body['field']}]" if body.get("field") else ""
        return f"{body['message']}{field}"
    return str(body)[:300] if body is not None else text[:300]
