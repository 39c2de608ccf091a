"""추첨 / Lottery: a wrong seat count or waitlist size (seed §3.5). While entries are open nothing is committed,
so it is one step (sensitive at the service). After the close the counts are in the public commitment, so the
change is two steps confirmed by a *second* operator with a fresh second factor, and a new commitment enters
the public log (docs/draw-algorithm.md §8.6): this operator prepares it and is shown the token to hand over;
the other confirms it from the same draw page."""

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response

from console_service.domain.sections import N_
from console_service.entrypoints.http.actions import act
from console_service.entrypoints.http.lottery import DRAW_PAGE, confirm_dialog, draw_page, form_text
from console_service.entrypoints.http.rendering import kst
from console_service.entrypoints.http.wiring import ConsoleDep, PagesDep
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.lottery import PlacesPreparedOut
from platform_shared.contracts.admin.lottery_requests import PlacesIn
from platform_shared.contracts.admin.models import TokenIn

router = APIRouter()
SECOND_OPERATOR = N_("The operator who asked for this correction cannot confirm it: another operator confirms it "
                     "with the token, under “Confirm another operator's seat correction” on this draw's page.")


@router.post(f"{DRAW_PAGE}/places")
def correct_places(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    """One step while the draw is open; after the close, the first of two (the dialog shows the token)."""
    values = {name: form_text(request, name) for name in ("seats", "waitlist_size", "reason")}
    try:
        body = PlacesIn.model_validate(values)
        lottery = console.services(request).lottery
        if lottery.draw(campaign_id).status == "open":
            act(console, request, lambda services: services.lottery.correct_places(campaign_id, body))
            return draw_page(console, request, pages, campaign_id,
                             notice=pages.gettext("Seats and waitlist corrected"))
        prepared = act(console, request, lambda services: services.lottery.prepare_places(campaign_id, body))
    except Refused as refusal:
        return draw_page(console, request, pages, campaign_id, refusal.status, refused=refusal.message,
                         errors={f"places_{k}": v for k, v in refusal.fields.items()}, places=values)
    except ValidationError as error:
        fields = {f"places_{e['loc'][0]}": e["msg"] for e in error.errors()}
        return draw_page(console, request, pages, campaign_id, 422, errors=fields, places=values)
    return draw_page(console, request, pages, campaign_id, dialog=_dialog(campaign_id, prepared))


def _dialog(campaign_id: str, prepared: PlacesPreparedOut) -> dict[str, object]:
    facts = [(N_("Seats (K)"), f"{prepared.seats_before:,} → {prepared.seats:,}"),
             (N_("Waitlist (W)"), f"{prepared.waitlist_size_before:,} → {prepared.waitlist_size:,}"),
             (N_("Reason"), prepared.reason), (N_("Commitment replaced"), prepared.commitment or "—"),
             (N_("Valid until"), kst(prepared.expires_at))]
    return confirm_dialog(
        N_("Correct the committed seats and waitlist?"), facts,
        f"{DRAW_PAGE.format(campaign_id=campaign_id)}/places/confirm", prepared.token,
        N_("Confirm as the second operator"), second_operator=True)


@router.post(f"{DRAW_PAGE}/places/confirm")
def confirm_places(request: Request, console: ConsoleDep, pages: PagesDep, campaign_id: str) -> Response:
    """Step two, by another operator than the one who asked: the service refuses the asker (403), shown here in
    words next to the token, which stays filled in to hand over."""
    token = form_text(request, "token")
    try:
        body = TokenIn(token=token)
        done = act(console, request, lambda services: services.lottery.confirm_places(campaign_id, body))
    except ValidationError:
        return draw_page(console, request, pages, campaign_id, 422, places_token=token, errors={
            "places_token": pages.gettext("Paste the token the other operator was shown")})
    except Refused as refusal:
        if refusal.status == 403 and "token" in refusal.fields:  # the asker's own confirmation
            return draw_page(console, request, pages, campaign_id, 403, places_token=token,
                             refused=f"{pages.gettext(SECOND_OPERATOR)} ({refusal.message})",
                             errors={"places_token": pages.gettext("Needs a second operator")})
        return draw_page(console, request, pages, campaign_id, refusal.status, refused=refusal.message,
                         places_token=token, errors={"places_token": refusal.fields.get("token", refusal.message)})
    return draw_page(console, request, pages, campaign_id, notice=pages.gettext(
        "Seats and waitlist corrected: %(seats)s seats, waitlist %(waitlist)s; the new commitment is in the public "
        "log") % {"seats": f"{done.seats:,}", "waitlist": f"{done.waitlist_size:,}"})
