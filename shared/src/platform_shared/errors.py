"""A small error hierarchy the rules and use cases raise. Pure: the web part (web/errors.py) turns each
into a clear 4xx answer, so a domain module can raise them without importing a web framework."""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInputError(DomainError):
    """Input that is well formed but makes no valid whole (e.g. a patch that breaks the policy)."""

    status_code = 422


class NotFoundError(DomainError):
    status_code = 404


class ConflictError(DomainError):
    """The request clashes with what is stored (a duplicate, a stale token)."""

    status_code = 409


class InvalidStateError(DomainError):
    """The target is not in a state that allows this action."""

    status_code = 409


class UnauthenticatedError(DomainError):
    """No credential, or one that does not prove who is calling (bad, expired, foreign, revoked)."""

    status_code = 401


class ForbiddenError(DomainError):
    """The caller is known but may not do this: wrong role, or a sensitive action without a fresh second factor."""

    status_code = 403


class TooManyAttemptsError(DomainError):
    """Throttled: too many failed attempts; `retry_after_seconds` says when to try again."""

    status_code = 429

    def __init__(self, message: str, *, retry_after_seconds: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after_seconds = retry_after_seconds
