"""A small error hierarchy the services raise and the admin API turns into clear 4xx answers."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(DomainError):
    status_code = 404


class ConflictError(DomainError):
    """The request clashes with what is stored (a duplicate, a stale token)."""

    status_code = 409


class InvalidStateError(DomainError):
    """The target is not in a state that allows this action."""

    status_code = 409


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        body: dict[str, object] = {"error": type(error).__name__, "message": error.message}
        if error.field:
            body["field"] = error.field
        return JSONResponse(body, status_code=error.status_code)
