"""How the console answers what went wrong, in words and never as a raw status: sign in again, not for your
role, a form from elsewhere, a code needed, the service's own refusal (field by field), a service not
answering. An htmx request gets its answer in the page's message area (or the dialog), not over the page."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import RedirectResponse, Response

from console_service.entrypoints.http.actions import STEP_UP_FIELD, StepUpNeeded
from console_service.entrypoints.http.guard import Console, CsrfRefused, RoleRefused, SignInNeeded
from console_service.entrypoints.http.rendering import Pages
from platform_shared.client.errors import NotAuthenticated, Refused, ServiceFailed, Unreachable


def install_error_pages(app: FastAPI, console: Console, pages: Pages) -> None:
    def into(request: Request, target: str, template: str, status: int, **context: Any) -> Response:
        """Into the page's `target` for htmx; otherwise a whole page around it."""
        if _htmx(request):
            return pages.render(request, template, status_code=status,
                                headers={"HX-Retarget": target, "HX-Reswap": "innerHTML"}, **context)
        return pages.render(request, "errors/page.html", status_code=status, fragment=template, **context)

    async def sign_in_again(request: Request, _: Exception) -> Response:
        console.remember(request, None)
        target = "/signin" if request.method != "GET" else f"/signin?next={request.url.path}"
        if _htmx(request):
            return Response(status_code=200, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    async def not_for_role(request: Request, _: Exception) -> Response:
        return into(request, "#flash", "errors/role.html", 403)

    async def forged(request: Request, _: Exception) -> Response:
        return into(request, "#flash", "errors/csrf.html", 403)

    async def step_up_needed(request: Request, error: Exception) -> Response:
        assert isinstance(error, StepUpNeeded)
        return into(request, "#modal", "dialogs/step_up.html", 200 if _htmx(request) else 403,
                    replay=error.replay, refused=error.refused, action=request.url.path, field=STEP_UP_FIELD)

    async def refused(request: Request, error: Exception) -> Response:
        assert isinstance(error, Refused)
        return into(request, "#flash", "errors/refused.html", error.status, message=error.message,
                    fields=error.fields)

    async def unavailable(request: Request, error: Exception) -> Response:
        return into(request, "#flash", "errors/unavailable.html", 502,
                    url=getattr(error, "base_url", None) or getattr(error, "path", ""))

    async def invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        fields = {".".join(str(part) for part in e["loc"][1:]): e["msg"] for e in error.errors()}
        return into(request, "#flash", "errors/refused.html", 422, message="", fields=fields)

    app.add_exception_handler(SignInNeeded, sign_in_again)
    app.add_exception_handler(NotAuthenticated, sign_in_again)
    app.add_exception_handler(RoleRefused, not_for_role)
    app.add_exception_handler(CsrfRefused, forged)
    app.add_exception_handler(StepUpNeeded, step_up_needed)
    app.add_exception_handler(Refused, refused)
    app.add_exception_handler(Unreachable, unavailable)
    app.add_exception_handler(ServiceFailed, unavailable)
    app.add_exception_handler(RequestValidationError, invalid)


def _htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"
