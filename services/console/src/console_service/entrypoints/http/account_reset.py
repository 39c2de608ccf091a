"""A lost device (seed §10): the holder's half of a 2FA reset, reached from the sign-in page ("lost your
device?") with no session — asking, with the password (the policy service's POST /auth/2fa-resets is public),
and after a PM approved, enrolling the new secret: its QR code, the secret as text, the backup codes, once."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from console_service.adapters.qr import qr_data_uri
from console_service.domain.enrolment import grouped, secret_of
from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import Refused
from platform_shared.client.policy import PolicyClient
from platform_shared.contracts.admin.identity import EnrolIn, ResetRequestIn

router = APIRouter()
Field = Annotated[str, Form(max_length=1000)]


def _refused(refusal: Refused) -> dict[str, Any]:
    """A refusal in the words the form shows: a lockout with its wait, or "not accepted" (the policy service
    answers a wrong password and an unknown account alike), or the fields to fix."""
    wait = refusal.retry_after if refusal.status == 429 else None
    return {"refused": refusal.message, "fields": refusal.fields, "wait_minutes": -(-wait // 60) if wait else None}


def _anonymous(console: Console, request: Request) -> PolicyClient:
    return console.services(request, token="").policy


@router.get("/accounts/reset")
def reset_form(request: Request, pages: PagesDep) -> Response:
    session = request.state.session
    return pages.render(request, "pages/accounts/reset.html", account=session.account if session else "",
                        asked=None, fields={})


@router.post("/accounts/reset")
def ask_reset(request: Request, console: ConsoleDep, pages: PagesDep, account: Field, password: Field,
              reason: Field) -> Response:
    try:
        body = ResetRequestIn.model_validate({"account": account, "password": password, "reason": reason})
        asked = _anonymous(console, request).request_reset(body)
    except ValueError:
        return pages.render(request, "pages/accounts/reset.html", status_code=422, account=account, reason=reason,
                            asked=None, fields={"reason": pages.gettext("Give a reason of at least 3 characters.")})
    except Refused as refusal:
        return pages.render(request, "pages/accounts/reset.html", status_code=refusal.status, account=account,
                            reason=reason, asked=None, **_refused(refusal))
    return pages.render(request, "pages/accounts/reset.html", status_code=201, account=account,
                        asked=asked.request_id, fields={})


@router.get("/accounts/reset/enrol")
def enrol_form(request: Request, pages: PagesDep, request_id: Annotated[str, Query(max_length=100)] = "") -> Response:
    return pages.render(request, "pages/accounts/enrol.html", request_id=request_id, enrolled=None, fields={})


@router.post("/accounts/reset/enrol")
def enrol(request: Request, console: ConsoleDep, pages: PagesDep, request_id: Field, account: Field,
          password: Field) -> Response:
    """Once: the policy service answers the new secret and codes to the first enrolment only."""
    try:
        if not request_id.strip():
            raise ValueError("no request id")
        enrolment = _anonymous(console, request).enrol(
            request_id.strip(), EnrolIn.model_validate({"account": account, "password": password}))
    except ValueError:
        return pages.render(request, "pages/accounts/enrol.html", status_code=422, request_id=request_id,
                            account=account, enrolled=None,
                            fields={"request_id": pages.gettext("Give the request's number, the account and its "
                                                                "password.")})
    except Refused as refusal:
        return pages.render(request, "pages/accounts/enrol.html", status_code=refusal.status, request_id=request_id,
                            account=account, enrolled=None, **_refused(refusal))
    secret = secret_of(enrolment.provisioning_uri)
    return pages.render(request, "pages/accounts/enrol.html", request_id=request_id, account=account, fields={},
                        enrolled={"qr": qr_data_uri(enrolment.provisioning_uri), "secret": grouped(secret),
                                  "codes": enrolment.backup_codes})
