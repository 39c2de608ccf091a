"""정책 / Policies, AdGate (seed §5): the emergency stop per campaign (an exception with its reason, period and
banner text) and the global bypass (on or off, with its banner), each a policy change shown as a diff and
confirmed (policies.py); the impact report — what entered without a sponsor visit, the lottery's (seed §5.4)."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.policies import may
from console_service.entrypoints.http.policies_form import field_errors, validated
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.endpoint import as_json
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.policy import ChangePreparedOut, ProposalIn

router = APIRouter()
EXCEPTION_FIELDS = ("campaign_id", "reason", "valid_from", "valid_until", "banner_text")
Text = Annotated[str, Form(max_length=1000)]


@router.get("/policies/adgate")
def adgate(request: Request, console: ConsoleDep, pages: PagesDep) -> Response:
    return _adgate_page(request, console, pages)


def _adgate_page(request: Request, console: Console, pages: Pages, *, status: int = 200, form: str = "",
                 values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                 other_errors: dict[str, str] | None = None, message: str = "",
                 prepared: ChangePreparedOut | None = None) -> Response:
    services = console.services(request)
    current = services.policy.policy()
    return pages.render(request, "pages/policies/adgate.html", status_code=status, current=current,
                        document=current.document, impact=services.lottery.adgate_exemptions(), form=form,
                        values=values or {}, errors=errors or {}, other_errors=other_errors or {},
                        message=message, prepared=prepared, then="adgate",
                        may_change=may(console, request, "POST", "/policies/adgate/exceptions"))


def _propose(request: Request, console: Console, pages: Pages, form: str, values: dict[str, str],
             reason: str, patch: dict[str, Any], memo: str = "") -> Response:
    """A change of the AdGate part of the document: the diff to confirm, or the refusal next to its fields."""
    proposal, errors = validated(ProposalIn, reason=reason, impact_memo=memo, patch=patch)
    message = ""
    if proposal is not None:
        try:
            prepared = act(console, request, lambda services: services.policy.propose(proposal))
            return _adgate_page(request, console, pages, form=form, values=values, prepared=prepared)
        except Refused as refusal:
            message, errors = refusal.message, refusal.fields
    at_field, other = field_errors(errors, [*values, *EXCEPTION_FIELDS])
    return _adgate_page(request, console, pages, status=422, form=form, values=values, errors=at_field,
                        other_errors=other, message=message)


def _exceptions(request: Request, console: Console) -> list[dict[str, Any]]:
    exceptions: list[dict[str, Any]] = as_json(console.services(request).policy.policy())["document"].get(
        "adgate_exceptions", [])
    return exceptions


@router.post("/policies/adgate/exceptions")
def add_exception(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: Text, reason: Text,
                  valid_from: Text, valid_until: Text, banner_text: Text = "") -> Response:
    """Seed §5.3: the campaign's exception flag ON, with its reason and period, and the banner entrants see."""
    values = {"campaign_id": campaign_id, "reason": reason, "valid_from": valid_from, "valid_until": valid_until,
              "banner_text": banner_text}
    added = {name: value.strip() for name, value in values.items()}
    return _propose(request, console, pages, "exception", values, reason,
                    {"adgate_exceptions": [*_exceptions(request, console), added]},
                    memo=pages.gettext("AdGate exception for %(campaign)s") % {"campaign": campaign_id})


@router.post("/policies/adgate/exceptions/end")
def end_exception(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: Text,
                  reason: Text) -> Response:
    """Seed §5.4: the flag OFF once the cause is fixed; the confirmation points to the impact report."""
    kept = [e for e in _exceptions(request, console) if e["campaign_id"] != campaign_id]
    return _propose(request, console, pages, f"end:{campaign_id}", {"reason": reason}, reason,
                    {"adgate_exceptions": kept})


@router.post("/policies/adgate/bypass")
def bypass(request: Request, console: ConsoleDep, pages: PagesDep, state: Annotated[str, Form(pattern="^(on|off)$")],
           reason: Text, banner: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Seed §5.2: the global bypass ON with the banner entrants see, or OFF."""
    patch: dict[str, Any] = {"adgate_global_bypass": state == "on"}
    if state == "on":
        patch["adgate_global_bypass_banner"] = banner.strip()
    return _propose(request, console, pages, "bypass", {"reason": reason, "banner": banner}, reason, patch)
