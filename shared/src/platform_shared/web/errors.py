"""Domain errors as HTTP answers: a clear message, the field at fault, and the status the error names."""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from platform_shared.auth.entrants import IssuerUnavailableError
from platform_shared.errors import DomainError, TooManyAttemptsError, UnauthenticatedError


def install_error_handlers(app: FastAPI, outage_banner: Callable[[], Awaitable[str]] | None = None) -> None:
    """`outage_banner`: the text entrants see while Kakao is down (the policy's `kakao_outage_banner`, seed
    §9.2), added as `banner` to every 503 a Kakao outage causes."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        """FastAPI's answer, field by field, minus the value that was sent: it may be a password, a code
        or a token, and an error answer is as good as a log line for leaking it (SPEC §7)."""
        fields = [{key: value for key, value in detail.items() if key != "input"} for detail in error.errors()]
        return JSONResponse({"detail": jsonable_encoder(fields)}, status_code=422)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        body: dict[str, object] = {"error": type(error).__name__, "message": error.message}
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
