"""장애 / Banners (seed §1 "공지 배너", §5.3, §13): every banner in force now — what the public `GET /banners` of the
policy service shows entrants — and every stored one (scheduled, ended), a page at a time; a general banner set
(Korean text, English alongside, at most 200 characters, start and end in KST) and a stored banner ended now."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from starlette.responses import RedirectResponse, Response

from console_service.domain.incidents import BANNER_KINDS, at_fields, kst_moment
from console_service.domain.paging import paged
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.policies import may
from console_service.entrypoints.http.policies_form import validated
from console_service.entrypoints.http.rendering import Pages
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.incidents import BannerEndIn, BannerIn
from platform_shared.contracts.admin.models import BIGINT_MAX
from platform_shared.contracts.banners import BANNER_MAX_CHARS

router = APIRouter()
Text = Annotated[str, Form(max_length=2000)]
BANNER_FIELDS = ("text", "text_en", "campaign_id", "starts_at", "ends_at", "reason")


@router.get("/incidents/banners")
def banners(request: Request, console: ConsoleDep, pages: PagesDep, page: int = 1, size: int = 0) -> Response:
    return _banners_page(request, console, pages, page, size)


def _banners_page(request: Request, console: Console, pages: Pages, number: int = 1, size: int = 0, *,
                  status: int = 200, form: str = "", values: dict[str, str] | None = None,
                  errors: dict[str, str] | None = None, other_errors: dict[str, str] | None = None,
                  message: str = "") -> Response:
    policy = console.services(request).policy
    stored, paging = paged(policy.all_banners, number, size)
    return pages.render(request, "pages/incidents/banners.html", status_code=status,
                        in_force=policy.banners_in_force().banners, stored=stored.rows, page=paging,
                        kinds=BANNER_KINDS, limit=BANNER_MAX_CHARS, now=console.clock.now(), form=form,
                        values=values or {}, errors=errors or {}, other_errors=other_errors or {}, message=message,
                        may_set=may(console, request, "POST", "/incidents/banners"))


@router.post("/incidents/banners")
def set_banner(request: Request, console: ConsoleDep, pages: PagesDep, text: Text = "", text_en: Text = "",
               campaign_id: Text = "", starts_at: Text = "", ends_at: Text = "", reason: Text = "") -> Response:
    """A general banner, from its start (default now) to its end (or until ended)."""
    values = {"text": text, "text_en": text_en, "campaign_id": campaign_id, "starts_at": starts_at,
              "ends_at": ends_at, "reason": reason}
    moments, fields = {}, {}
    for name, given in (("starts_at", starts_at), ("ends_at", ends_at)):
        try:
            moments[name] = kst_moment(given)
        except ValueError:
            fields[name] = pages.gettext("Not a date and time (for example 2026-12-24T20:00, KST).")
    body, invalid = validated(BannerIn, text=text.strip(), text_en=text_en.strip() or None,
                              campaign_id=campaign_id.strip() or None, reason=reason.strip(),
                              starts_at=moments.get("starts_at"), ends_at=moments.get("ends_at"))
    fields = {**invalid, **fields}
    message = ""
    if body is not None and not fields:
        try:
            act(console, request, lambda services: services.policy.set_banner(body))
            return RedirectResponse("/incidents/banners?set=1", status_code=303)
        except Refused as refusal:
            message, fields = refusal.message, refusal.fields
    at_field, other = at_fields(fields, BANNER_FIELDS)
    return _banners_page(request, console, pages, status=422, form="set", values=values, errors=at_field,
                         other_errors=other, message=message)


@router.post("/incidents/banners/{banner_id}/end")
def end_banner(request: Request, console: ConsoleDep, pages: PagesDep,
               banner_id: Annotated[int, Path(ge=1, le=BIGINT_MAX)], reason: Text = "") -> Response:
    body, fields = validated(BannerEndIn, reason=reason.strip())
    message = ""
    if body is not None:
        try:
            act(console, request, lambda services: services.policy.end_banner(banner_id, body))
            return RedirectResponse("/incidents/banners?ended=1", status_code=303)
        except Refused as refusal:
            message, fields = refusal.message, refusal.fields
    at_field, other = at_fields(fields, ("reason",))
    return _banners_page(request, console, pages, status=422, form=f"end:{banner_id}", values={"reason": reason},
                         errors=at_field, other_errors=other, message=message)
