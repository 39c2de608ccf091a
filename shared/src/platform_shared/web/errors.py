"""Domain errors as HTTP answers: a clear message, the field at fault, and the status the error names. The
message is in the reader's language (`Accept-Language`, Korean unless English is asked for: platform_shared/i18n.py);
the machine-readable `error` code and `field` stay as they are, whatever the language."""

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

from platform_shared.auth.entrants import IssuerUnavailableError
from platform_shared.db.outages import sqlstate_of
from platform_shared.errors import DomainError, TooManyAttemptsError, UnauthenticatedError
from platform_shared.i18n import Locale, error_message, negotiate, summary

log = logging.getLogger(__name__)
UNSTORABLE = frozenset({"22000", "22001", "22003", "22021", "22P05"})
"""SQLSTATEs of a value the database cannot take: asyncpg's own refusal of an argument (an integer past its
type, 22000), a string too long, a number out of range, a NUL character (22021), `\u0000` in JSONB (22P05).
Other data exceptions (a division by zero, a failed cast inside a query) are the server's bugs: 500."""


def install_error_handlers(app: FastAPI, outage_banner: Callable[[], Awaitable[str]] | None = None) -> None:
    """`outage_banner`: the text entrants see while Kakao is down (the policy's `kakao_outage_banner`, seed
    §9.2), added as `banner` to every 503 a Kakao outage causes."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        """FastAPI's answer, field by field, minus the value that was sent: it may be a password, a code
        or a token, and an error answer is as good as a log line for leaking it (SPEC §7)."""
        fields = [{key: value for key, value in detail.items() if key != "input"} for detail in error.errors()]
        named = ", ".join(".".join(str(part) for part in detail.get("loc", ())) for detail in fields)
        message = f"{summary('ValidationError', locale_of(request))}: {named}" if named else \
            summary("ValidationError", locale_of(request))
        return JSONResponse({"detail": jsonable_encoder(fields), "message": message}, status_code=422)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        code = type(error).__name__
        ancestors = tuple(c.__name__ for c in type(error).__mro__[1:] if issubclass(c, DomainError))
        body: dict[str, object] = {"error": code,
                                   "message": error_message(code, error.message, locale_of(request), ancestors)}
        if error.field:
            body["field"] = error.field
        if isinstance(error, IssuerUnavailableError) and outage_banner is not None:
            body["banner"] = await outage_banner()
        headers = {}
        if isinstance(error, UnauthenticatedError):
            headers["WWW-Authenticate"] = "Bearer"
        if isinstance(error, TooManyAttemptsError):
            headers["Retry-After"] = str(error.retry_after_seconds)
        return JSONResponse(body, status_code=error.status_code, headers=headers)

    @app.exception_handler(DBAPIError)
    async def unstorable_value(request: Request, error: DBAPIError) -> JSONResponse:
        """A value that passed validation but that PostgreSQL cannot take (found by Schemathesis: a
        version number past 32 bits, a NUL character) is the caller's mistake, not a server error: 422, and
        nothing changed (its transaction rolled back). The driver's message names the value, so neither the
        answer nor the log repeats it. Any other database error stays a 500."""
        state = sqlstate_of(error)
        if state not in UNSTORABLE:
            raise error
        log.warning("%s %s: a value the database cannot store (SQLSTATE %s)", request.method, request.url.path,
                    state)
        return JSONResponse({"error": "InvalidInputError", "message": summary("UnstorableValue", locale_of(request))},
                            status_code=422)


def locale_of(request: Request) -> Locale:
    """The reader's language: Korean unless their `Accept-Language` prefers English."""
    return negotiate(request.headers.get("accept-language"))
