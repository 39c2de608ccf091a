"""Domain errors as HTTP answers: a clear message, the field at fault, and the status the error names."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from platform_shared.errors import DomainError, TooManyAttemptsError, UnauthenticatedError


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        body: dict[str, object] = {"error": type(error).__name__, "message": error.message}
        if error.field:
            body["field"] = error.field
        headers = {}
        if isinstance(error, UnauthenticatedError):
            headers["WWW-Authenticate"] = "Bearer"
        if isinstance(error, TooManyAttemptsError):
            headers["Retry-After"] = str(error.retry_after_seconds)
        return JSONResponse(body, status_code=error.status_code, headers=headers)
