"""추첨 / Lottery, the draw itself (seed §3.1–§3.5): the pre-check checklist, the dry run (NOT FINAL), the
two-step run whose dialog shows seats, the seed's display value and the time before anything is drawn, the
results a page at a time, the CSV, the verification, and the rollback with its reason (two steps)."""

from contextlib import ExitStack
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response, StreamingResponse

from console_service.adapters.lottery_pages import PLACES, result_rows
from console_service.domain.draw_words import status_name
from console_service.domain.paging import Page
from console_service.domain.precheck import precheck
from console_service.domain.sections import N_
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.lottery import DRAW_PAGE, draw_page, form_text, may
from console_service.entrypoints.http.rendering import Pages, kst
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import Refused
from platform_shared.client.lottery import EXPORT_RUN
from platform_shared.contracts.admin.lottery_requests import PrepareRunIn
from platform_shared.contracts.admin.models import ReasonIn, TokenIn

router = APIRouter()
RUN_PAGE = "/lottery/runs/{run_id}"


@router.post(f"{DRAW_PAGE}/precheck")
def pre_check(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    """Seed §3.1, from the service's dry run (which stores nothing but its audit snapshot)."""
    report = act(console, request, lambda services: services.lottery.dry_run(campaign_id))
    return draw_page(console, request, pages, campaign_id, checks=precheck(report))


@router.post(f"{DRAW_PAGE}/dry-run")
def dry_run(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    """Seed §3.2: the histogram as a picture, pass rates, and a sample of five that is not the result."""
    report = act(console, request, lambda services: services.lottery.dry_run(campaign_id))
    return draw_page(console, request, pages, campaign_id, dry_run=report)


@router.post(f"{DRAW_PAGE}/run/prepare")
def prepare_run(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    """Step one of §3.3: nothing is drawn; the dialog shows what execute will draw."""
    early = form_text(request, "early_reason")
    try:
        body = PrepareRunIn.model_validate({"early_reason": early} if early else {})
        prepared = act(console, request, lambda services: services.lottery.prepare_run(campaign_id, body))
    except Refused as refusal:
        errors = {"early_reason": refusal.message} if "early_reason" in refusal.message or \
            "early_reason" in refusal.fields else refusal.fields
        return draw_page(console, request, pages, campaign_id, refusal.status, refused=refusal.message,
                         errors=errors, early_reason=early)
    except ValidationError:  # a reason under three characters
        return draw_page(console, request, pages, campaign_id, 422, early_reason=early, errors={
            "early_reason": pages.gettext("Say why, in at least 3 characters (kept in the audit log)")})
    facts = [(N_("Seats (K)"), f"{prepared.seats:,}"), (N_("Waitlist (W)"), f"{prepared.waitlist_size:,}"),
             (N_("Seed display value"), prepared.seed_display), (N_("Draw time"), kst(prepared.draw_at_kst)),
             (N_("Eligible entries"), f"{prepared.eligible:,}"), (N_("Ranked"), f"{prepared.ranked:,}"),
             (N_("Policy version"), str(prepared.policy_version)), (N_("Weight cap"), f"{prepared.weight_cap:g}"),
             (N_("Entries above the cap"), f"{prepared.entries_above_cap:,}"),
             (N_("Early run, because"), prepared.early_reason or "—"), (N_("Valid until"), kst(prepared.expires_at))]
    return draw_page(console, request, pages, campaign_id, dialog={
        "title": N_("Execute the draw?"), "facts": facts, "token": prepared.token, "button": N_("Execute the draw"),
        "action": f"{DRAW_PAGE.format(campaign_id=campaign_id)}/run/execute", "danger": True})


@router.post(f"{DRAW_PAGE}/run/execute")
def execute_run(request: Request, console: ConsoleDep, campaign_id: str) -> Response:
    """Step two: sensitive at the service — with a stale second factor the step-up dialog asks for a code and
    sends this same confirmation again (actions.py)."""
    token = TokenIn(token=form_text(request, "token"))
    run = act(console, request, lambda services: services.lottery.execute_run(campaign_id, token))
    return RedirectResponse(RUN_PAGE.format(run_id=run.id), status_code=303)


@router.get(RUN_PAGE)
def results(request: Request, console: ConsoleDep, pages: PagesDep, run_id: str, place: str = "winner",
            page: int = 1, size: int = 50) -> Response:
    return run_page(console, request, pages, run_id, place, page, size)


def run_page(console: Console, request: Request, pages: Pages, run_id: str, place: str = "winner", page: int = 1,
             size: int = 50, status_code: int = 200, **extra: Any) -> Response:
    place = place if place in PLACES else "winner"
    lottery = console.services(request).lottery
    asked = Page.of(page, size, 10**12)
    found = result_rows(lottery, run_id, place, asked.offset, asked.size)
    chosen = Page.of(page, size, found.total_winners if place == "winner" else found.total_waitlist)
    if chosen.offset != asked.offset:
        found = result_rows(lottery, run_id, place, chosen.offset, chosen.size)
    base = RUN_PAGE.format(run_id=run_id)
    headers = {"HX-Push-Url": base} if request.method == "POST" else None
    return pages.render(request, "pages/lottery/run.html", status_code=status_code, headers=headers, found=found,
                        run=found.run, place=place, page=chosen, base=base, status_name=status_name,
                        draw_url=DRAW_PAGE.format(campaign_id=found.run.campaign_id),
                        may_export=may(console, request, "GET", f"{RUN_PAGE}/export.csv"),
                        may_roll_back=may(console, request, "POST", f"{RUN_PAGE}/rollback/prepare"),
                        errors=extra.pop("errors", {}), **extra)


@router.get(f"{RUN_PAGE}/verify")
def verify(request: Request, console: ConsoleDep, pages: PagesDep, run_id: str) -> Response:
    """Seed §3.4: the count check, the entry set and the audit replay, as the service answers them."""
    verification = console.services(request).lottery.verify_run(run_id)
    return run_page(console, request, pages, run_id, verification=verification,
                    verified=verification.count_ok and verification.replay_matches and verification.entry_set_ok)


@router.get(f"{RUN_PAGE}/export.csv")
def export(request: Request, console: ConsoleDep, run_id: str) -> Response:
    """The service's CSV passed through as a download (seed §3.3 "CSV 내보내기(보관)"); a refusal is known before
    the first byte, so it is shown as a page, never as a broken file."""
    stack = ExitStack()
    answer = stack.enter_context(console.services(request).lottery.http.stream(EXPORT_RUN, run_id=run_id))

    def chunks() -> Any:
        with stack:
            yield from answer.iter_bytes()

    return StreamingResponse(chunks(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="run-{run_id}.csv"'})


@router.post(f"{RUN_PAGE}/rollback/prepare")
def prepare_rollback(request: Request, console: ConsoleDep, pages: PagesDep, run_id: str) -> Response:
    reason = form_text(request, "reason")
    if len(reason) < 3:
        return run_page(console, request, pages, run_id, status_code=422, errors={
            "reason": pages.gettext("Say why, in at least 3 characters (kept in the audit log)")})
    prepared = act(console, request, lambda s: s.lottery.prepare_rollback(run_id, ReasonIn(reason=reason)))
    facts = [(N_("Winners voided"), f"{prepared.winners_voided:,}"),
             (N_("Waitlist voided"), f"{prepared.waitlist_voided:,}"), (N_("Reason"), prepared.reason),
             (N_("Valid until"), kst(prepared.expires_at))]
    return run_page(console, request, pages, run_id, dialog={
        "title": N_("Roll back this run?"), "facts": facts, "token": prepared.token, "button": N_("Roll back"),
        "action": f"{RUN_PAGE.format(run_id=run_id)}/rollback/confirm", "danger": True})


@router.post(f"{RUN_PAGE}/rollback/confirm")
def confirm_rollback(request: Request, console: ConsoleDep, run_id: str) -> Response:
    token = TokenIn(token=form_text(request, "token"))
    act(console, request, lambda services: services.lottery.confirm_rollback(run_id, token))
    return RedirectResponse(RUN_PAGE.format(run_id=run_id), status_code=303)
