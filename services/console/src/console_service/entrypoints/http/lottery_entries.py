"""추첨 / Lottery, before the draw (seed §3.1, §3.5, §11): entries from an uploaded CSV (every row checked here
first, nothing sent on any error; the service stores the batch all or nothing), closing entries, and the
corrections — duplicates (§11.1), the weight recalculation (§11.2, two steps) and reopening a closed draw for an
eligibility correction (§3.5, two steps). The seat count is lottery_places.py's."""

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from console_service.domain.entry_rows import RowError, read_entries
from console_service.domain.sections import N_
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.lottery import DRAW_PAGE, confirm_dialog, draw_page, form_text
from console_service.entrypoints.http.rendering import kst
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.lottery_requests import EntriesIn
from platform_shared.contracts.admin.models import ReasonIn, TokenIn

router = APIRouter()
LARGEST_UPLOAD = 20 * 1024 * 1024
"""100,000 entries (the service's batch limit) fit well within it."""


def _reason(request: Request) -> ReasonIn | None:
    reason = form_text(request, "reason")
    return ReasonIn(reason=reason) if len(reason) >= 3 else None


@router.post(f"{DRAW_PAGE}/entries")
async def import_entries(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    upload = request.state.form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors = {"file": pages.gettext("Choose a CSV file")}
        return await _draw(console, request, pages, campaign_id, 422, errors=errors)
    raw = await upload.read(LARGEST_UPLOAD + 1)
    try:
        text = raw.decode("utf-8") if len(raw) <= LARGEST_UPLOAD else ""
    except UnicodeDecodeError:
        text = ""
    if not text:
        return await _draw(console, request, pages, campaign_id, 422,
                           errors={"file": pages.gettext("Not a UTF-8 CSV file of at most 20 MB")})
    read = read_entries(text)
    if read.errors:
        return await _draw(console, request, pages, campaign_id, 422, row_errors=read.errors,
                           upload_name=upload.filename)
    try:
        added = act(console, request, lambda s: s.lottery.add_entries(campaign_id, EntriesIn(entries=read.entries)))
    except Refused as refusal:  # e.g. a user already entered: the whole batch refused, nothing stored
        refused = [RowError(0, name or "entries", problem) for name, problem in refusal.fields.items()]
        return await _draw(console, request, pages, campaign_id, refusal.status, refused=refusal.message,
                           row_errors=refused, upload_name=upload.filename)
    return await _draw(console, request, pages, campaign_id, 200,
                       notice=pages.gettext("%(count)s entries added") % {"count": f"{added.added:,}"})


async def _draw(console: ConsoleDep, request: Request, pages: PagesDep, campaign_id: str, status_code: int,
                **extra: object) -> Response:
    return await run_in_threadpool(lambda: draw_page(console, request, pages, campaign_id, status_code, **extra))


@router.post(f"{DRAW_PAGE}/close")
def close_entries(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    act(console, request, lambda services: services.lottery.close_entries(campaign_id))
    return draw_page(console, request, pages, campaign_id, notice=pages.gettext("Entries closed"))


@router.post(f"{DRAW_PAGE}/duplicates")
def correct_duplicates(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    reason = _reason(request)
    if reason is None:
        return _reason_missing(request, console, pages, campaign_id, "duplicates_reason")
    done = act(console, request, lambda services: services.lottery.correct_duplicates(campaign_id, reason))
    return draw_page(console, request, pages, campaign_id, notice=pages.gettext(
        "%(invalidated)s duplicate entries marked invalid; %(after)s valid entries of %(users)s users") % {
        "invalidated": done.invalidated, "after": done.valid_entries_after, "users": done.distinct_users})


@router.post(f"{DRAW_PAGE}/recalculate/prepare")
def prepare_recalculation(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    reason = _reason(request)
    if reason is None:
        return _reason_missing(request, console, pages, campaign_id, "recalculate_reason")
    prepared = act(console, request, lambda services: services.lottery.prepare_recalculation(campaign_id, reason))
    facts = [(N_("Entries whose weight changes"), f"{prepared.entries_changing:,}"),
             (N_("Policy version"), str(prepared.policy_version)), (N_("Weight cap"), f"{prepared.weight_cap:g}"),
             (N_("Reason"), prepared.reason), (N_("Valid until"), kst(prepared.expires_at))]
    return draw_page(console, request, pages, campaign_id, dialog=confirm_dialog(
        N_("Recalculate the weights?"), facts, f"{DRAW_PAGE.format(campaign_id=campaign_id)}/recalculate/confirm",
        prepared.token, N_("Recalculate")))


@router.post(f"{DRAW_PAGE}/recalculate/confirm")
def confirm_recalculation(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    token = TokenIn(token=form_text(request, "token"))
    done = act(console, request, lambda services: services.lottery.confirm_recalculation(campaign_id, token))
    return draw_page(console, request, pages, campaign_id, notice=pages.gettext(
        "%(count)s entries recalculated under policy v%(version)s") % {
        "count": done.entries_changed, "version": done.policy_version})


@router.post(f"{DRAW_PAGE}/reopen/prepare")
def prepare_reopen(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    reason = _reason(request)
    if reason is None:
        return _reason_missing(request, console, pages, campaign_id, "reopen_reason")
    prepared = act(console, request, lambda services: services.lottery.prepare_reopen(campaign_id, reason))
    facts = [(N_("Status"), prepared.status), (N_("Commitment reopened"), prepared.reopens_commitment or "—"),
             (N_("Then"), prepared.then), (N_("Reason"), prepared.reason),
             (N_("Valid until"), kst(prepared.expires_at))]
    return draw_page(console, request, pages, campaign_id, dialog=confirm_dialog(
        N_("Reopen the draw for a correction?"), facts, f"{DRAW_PAGE.format(campaign_id=campaign_id)}/reopen/confirm",
        prepared.token, N_("Reopen")))


@router.post(f"{DRAW_PAGE}/reopen/confirm")
def confirm_reopen(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    token = TokenIn(token=form_text(request, "token"))
    done = act(console, request, lambda services: services.lottery.confirm_reopen(campaign_id, token))
    return draw_page(console, request, pages, campaign_id, notice=pages.gettext(
        "Reopened for a correction (reopening %(number)s); close the draw again when done") % {
        "number": done.reopening})


def _reason_missing(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str,
                    field: str) -> Response:
    return draw_page(console, request, pages, campaign_id, 422,
                     errors={field: pages.gettext("Say why, in at least 3 characters (kept in the audit log)")})
