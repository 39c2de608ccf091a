"""Signing in (account, password, the authenticator's code or a backup code), signing out, the language, and
the console's health. A lockout is told in words with its wait (the policy's `Retry-After`, seed §10)."""

import contextlib
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from console_service.application.signing_in import sign_in
from console_service.entrypoints.http.guard import LANGUAGE_COOKIE
from console_service.entrypoints.http.headers import cookie_header
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import NotAuthenticated, Refused
from platform_shared.i18n import LOCALES

router = APIRouter()


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/")
def home(request: Request) -> Response:
    return RedirectResponse("/lottery" if request.state.session else "/signin", status_code=303)


@router.get("/signin")
def sign_in_page(request: Request, pages: PagesDep, next: str = "/lottery") -> Response:
    return pages.render(request, "pages/signin.html", next=_inside(next))


@router.post("/signin")
def sign_in_form(request: Request, console: ConsoleDep, pages: PagesDep,
                 account: Annotated[str, Form(max_length=100)], password: Annotated[str, Form(max_length=1000)],
                 code: Annotated[str, Form(max_length=40)], next: Annotated[str, Form()] = "/lottery") -> Response:
    anonymous = console.services(request, token="")
    try:
        session = sign_in(anonymous.policy, lambda token: console.services(request, token=token).policy,
                          account, password, code, console.clock.now())
    except Refused as refusal:
        wait = refusal.retry_after if refusal.status == 429 else None
        status = refusal.status if not isinstance(refusal, NotAuthenticated) else 401
        return pages.render(request, "pages/signin.html", status_code=status, next=_inside(next), account=account,
                            refused=refusal.message, wait_minutes=-(-wait // 60) if wait else None,
                            wait_seconds=wait)
    console.remember(request, session)
    return RedirectResponse(_inside(next), status_code=303)


@router.post("/signout")
def sign_out(request: Request, console: ConsoleDep) -> Response:
    """The login ends at the policy service (every service refuses its tokens from then on), then here."""
    with contextlib.suppress(NotAuthenticated):  # already ended elsewhere
        console.services(request).policy.logout()
    console.remember(request, None)
    return RedirectResponse("/signin", status_code=303)


@router.post("/language")
def choose_language(request: Request, console: ConsoleDep, lang: Annotated[str, Form()],
                    back: Annotated[str, Form()] = "/") -> Response:
    response = RedirectResponse(_inside(back), status_code=303)
    if lang in LOCALES:
        response.headers.append("Set-Cookie", cookie_header(LANGUAGE_COOKIE, lang,
                                                            secure=console.settings.secure_cookies,
                                                            max_age=365 * 24 * 3600))
    return response


def _inside(path: str) -> str:
    """Where to go after signing in: a path of this console only, never another site (an open redirect)."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/lottery"


