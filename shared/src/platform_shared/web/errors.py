"""Domain errors as HTTP answers: a clear message, the field at fault, and the status the error names."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from platform_shared.errors import DomainError


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        body: dict[str, object] = {"error": type(error).__name__, "message": error.message}
        if error.field:
            body["field"] = error.field
        return JSONResponse(body, status_code=error.status_code)
