"""계정 / Accounts (seed §10): the accounts and their roles, the open 2FA resets and the PM's approval of another's
(never one's own: the policy service refuses it, and the page says so in words), new backup codes for oneself."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from console_service.access import ACCESS, OPERATORS
from console_service.domain.session import ConsoleSession
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.auth.access import role
from platform_shared.client.errors import NotAuthenticated, Refused
from platform_shared.contracts.admin.models import ReasonIn

router = APIRouter()
APPROVE = ("POST", "/accounts/resets/{request_id}/approve")
SEES_ACCOUNTS = role(*OPERATORS)
"""Who reads the account list and the open resets: the policy service's GET /accounts and GET /auth/2fa-resets."""


def _listing(console: Console, request: Request) -> dict[str, Any]:
    """What the page shows this role: the account list and the open resets are for the operators (as at the
    policy service, GET /accounts and GET /auth/2fa-resets); approving is the PM's."""
    session: ConsoleSession = request.state.session
    policy = console.services(request).policy
    listed = session.may(SEES_ACCOUNTS)
    return {"accounts": policy.accounts() if listed else None, "resets": policy.resets() if listed else None,
            "may_approve": session.may(ACCESS[APPROVE])}


def _page(console: Console, pages: Pages, request: Request, status_code: int = 200, **shown: Any) -> Response:
    listing = _listing(console, request)
    return pages.render(request, "pages/accounts/index.html", status_code=status_code, **listing,
                        **{"codes": None, "refusal": None, "approved": None, **shown})


@router.get("/accounts")
def accounts(request: Request, console: ConsoleDep, pages: PagesDep, approved: str = "") -> Response:
    return _page(console, pages, request, approved=approved[:100] or None)


@router.post("/accounts/backup-codes")
def regenerate_backup_codes(request: Request, console: ConsoleDep, pages: PagesDep) -> Response:
    """Ten new codes for one's own account, shown this once; the old ones stop working (seed §10.2 step 1)."""
    fresh = act(console, request, lambda services: services.policy.regenerate_backup_codes())
    return _page(console, pages, request, codes=fresh.backup_codes)


@router.post("/accounts/resets/{request_id}/approve")
async def approve_reset(request: Request, request_id: str, console: ConsoleDep, pages: PagesDep,
                        reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    """The PM's half of a 2FA reset (seed §10.2 step 2). A refusal — one's own request, already approved, a
    reason too short — is shown beside that request, in the service's words; nothing changed."""
    try:
        done = await run_in_threadpool(act, console, request, lambda services: services.policy.approve_reset(
            request_id, ReasonIn.model_validate({"reason": reason})))
    except NotAuthenticated:
        raise
    except Refused as refusal:
        return await run_in_threadpool(_page, console, pages, request, refusal.status,
                                       refusal={"request_id": request_id, "message": refusal.message,
                                                "fields": refusal.fields, "reason": reason})
    except ValueError:  # the reason, checked as the service checks it, before anything is sent
        return await run_in_threadpool(_page, console, pages, request, 422, refusal={
            "request_id": request_id, "message": "", "reason": reason,
            "fields": {"reason": pages.gettext("Give a reason of at least 3 characters.")}})
    return RedirectResponse(f"/accounts?approved={done.account}", status_code=303)
