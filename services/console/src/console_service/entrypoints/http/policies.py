"""정책 / Policies (seed §5, §8): the document in force, grouped as its sections, and a change to it — the
form (errors next to their fields), the diff in a confirmation dialog, then confirm (seed §8.2 "2단계 확인",
a fresh second factor). Every confirmation of the section lands here; the history and rollback are in
policies_history.py, AdGate in policies_adgate.py, the propagation view in policies_propagation.py."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.policies_form import (
    GROUPS,
    SETTINGS,
    campaigns,
    field_errors,
    form_values,
    merge_patch,
    validated,
)
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.endpoint import as_json
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.models import TokenIn
from platform_shared.contracts.admin.policy import ChangePreparedOut, ProposalIn

router = APIRouter()
TOKEN = r"^[A-Za-z0-9_-]{10,64}$"
"""A confirmation token as the services make them (contracts/admin/models.py TokenIn)."""
PROPOSAL_FIELDS = ("reason", "impact_memo", "scope")
AFTER_CONFIRM = {"propagation": "/policies/propagation", "adgate": "/policies/adgate"}
"""Where a confirmed change is shown: the propagation view (every service reporting the new version, seed
§8.3), or the AdGate page its change came from."""


def may(console: Console, request: Request, method: str, path: str) -> bool:
    """Whether the session's role may take a console route: an action it may not is not offered."""
    return bool(request.state.session.may(console.table[(method, path)]))


@router.get("/policies")
def document(request: Request, console: ConsoleDep, pages: PagesDep) -> Response:
    return _document_page(request, console, pages)


def _document_page(request: Request, console: Console, pages: Pages, *, status: int = 200,
                   values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                   other_errors: dict[str, str] | None = None, prepared: ChangePreparedOut | None = None,
                   message: str = "") -> Response:
    current = console.services(request).policy.policy()
    return pages.render(request, "pages/policies/document.html", status_code=status, current=current,
                        groups=GROUPS, values=values or form_values(as_json(current)["document"]), errors=errors or {},
                        other_errors=other_errors or {}, message=message, prepared=prepared,
                        may_change=may(console, request, "POST", "/policies/changes/prepare"))


@router.post("/policies/changes/prepare")
def propose(request: Request, console: ConsoleDep, pages: PagesDep, reason: Annotated[str, Form(max_length=1000)],
            impact_memo: Annotated[str, Form(max_length=2000)] = "",
            scope: Annotated[str, Form(max_length=5000)] = "") -> Response:
    """Step one: the fields that differ from the version in force, as a merge patch; the diff to confirm."""
    form = request.state.form
    submitted = {s.path: str(form.get(s.path)) for s in SETTINGS if isinstance(form.get(s.path), str)}
    values = {**submitted, "reason": reason, "impact_memo": impact_memo, "scope": scope}
    current = as_json(console.services(request).policy.policy())["document"]
    proposal, invalid = validated(ProposalIn, reason=reason, impact_memo=impact_memo,
                                  patch=merge_patch(current, submitted), scope=campaigns(scope))
    message, fields = "", invalid
    prepared = None
    if proposal is not None:
        try:
            prepared = act(console, request, lambda services: services.policy.propose(proposal))
        except Refused as refusal:
            message, fields = refusal.message, refusal.fields
    if prepared is not None:
        return _document_page(request, console, pages, values=values, prepared=prepared)
    at_field, other = field_errors(fields, [*values, *PROPOSAL_FIELDS])
    return _document_page(request, console, pages, status=422, values=values, errors=at_field,
                          other_errors=other, message=message)


@router.post("/policies/changes/confirm")
def confirm(request: Request, console: ConsoleDep, token: Annotated[str, Form(pattern=TOKEN)],
            then: Annotated[str, Form()] = "propagation") -> Response:
    """Step two (sensitive): the version published to every service; shown where its change came from."""
    confirmed = act(console, request, lambda services: services.policy.confirm_change(TokenIn(token=token)))
    return published(confirmed.version, then)


def published(version: int, then: str) -> Response:
    return RedirectResponse(f"{AFTER_CONFIRM.get(then, '/policies/propagation')}?published={version}",
                            status_code=303)
