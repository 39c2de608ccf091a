"""정책 / Policies, the history (seed §8.4 "변경 이력에서 선택 → Rollback"): every version with who made it,
when (KST) and why, newest first and paginated; a rollback to an earlier version with its reason, shown as
a diff and confirmed like any change (policies.py confirms it)."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from console_service.domain.paging import Page
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.policies import TOKEN, may, published
from console_service.entrypoints.http.policies_form import validated
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.models import INTEGER_MAX, ReasonIn, TokenIn
from platform_shared.contracts.admin.policy import ChangePreparedOut

router = APIRouter()


@router.get("/policies/history")
def history(request: Request, console: ConsoleDep, pages: PagesDep,
            page: Annotated[int | None, Query(ge=1, le=INTEGER_MAX)] = None,
            size: Annotated[int | None, Query(ge=1, le=1000)] = None) -> Response:
    return _history_page(request, console, pages, page, size)


def _history_page(request: Request, console: Console, pages: Pages, number: int | None = None,
                  size: int | None = None, *, status: int = 200, values: dict[str, str] | None = None,
                  errors: dict[str, str] | None = None, message: str = "",
                  prepared: ChangePreparedOut | None = None) -> Response:
    versions = console.services(request).policy.versions()  # oldest first; the policy keeps few
    shown = Page.of(number, size, len(versions))
    newest_first = versions[::-1][shown.offset:shown.offset + shown.size]
    return pages.render(request, "pages/policies/history.html", status_code=status, versions=newest_first,
                        page=shown, in_force=versions[-1].version if versions else None,
                        earlier=[v.version for v in versions[:-1]][::-1], values=values or {}, errors=errors or {},
                        message=message, prepared=prepared, other_errors={},
                        may_roll_back=may(console, request, "POST", "/policies/rollback/prepare"))


@router.post("/policies/rollback/prepare")
def prepare_rollback(request: Request, console: ConsoleDep, pages: PagesDep,
                     version: Annotated[int, Form(ge=1, le=INTEGER_MAX)],
                     reason: Annotated[str, Form(max_length=1000)]) -> Response:
    """Step one of going back (seed §8.4): what returning to `version`'s content changes now."""
    values = {"version": str(version), "reason": reason}
    body, errors = validated(ReasonIn, reason=reason)
    message = ""
    if body is not None:
        try:
            prepared = act(console, request, lambda services: services.policy.prepare_rollback(version, body))
            return _history_page(request, console, pages, values=values, prepared=prepared)
        except Refused as refusal:
            message, errors = refusal.message, refusal.fields
    return _history_page(request, console, pages, status=422, values=values, errors=errors, message=message)


@router.post("/policies/rollback/confirm")
def confirm_rollback(request: Request, console: ConsoleDep, token: Annotated[str, Form(pattern=TOKEN)]) -> Response:
    """Step two (sensitive): a new version equal to the earlier one, then the propagation view (seed §8.3)."""
    confirmed = act(console, request, lambda services: services.policy.confirm_rollback(TokenIn(token=token)))
    return published(confirmed.version, "propagation")
