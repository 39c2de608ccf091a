"""`lottery-ops draws places | places-confirm | commitment`: a seat or waitlist correction (seed §3.5) and the
draw's public commitment (docs/draw-algorithm.md §8). While entries are open a correction is one step; after
the close the counts are committed, so one operator asks and a *second* operator confirms, and a new
commitment enters the public log."""

from typing import Annotated

import typer

from platform_deploy.ops.client import Ops, body
from platform_deploy.ops.options import takes_totp
from platform_deploy.ops.output import console, context, emit, fields, table
from platform_deploy.ops.words import Words
from platform_shared.client.endpoint import as_json
from platform_shared.contracts.admin.lottery_requests import PlacesIn
from platform_shared.contracts.admin.models import TokenIn

WORDS = Words({
    "places": ("{campaign}: {seats} seats, {waitlist} on the waitlist ({reason})",
               "{campaign}: 당첨 {seats}명, 대기 {waitlist}명 ({reason})"),
    "asked": ("{campaign}: {seats_before}→{seats} seats, {waitlist_before}→{waitlist} on the waitlist, asked "
              "({reason}). A second operator confirms within its validity: lottery-ops draws places-confirm "
              "{campaign} --token={token}",
              "{campaign}: 당첨 {seats_before}→{seats}명, 대기 {waitlist_before}→{waitlist}명 정정 요청({reason}). "
              "다른 운영자가 유효 시간 안에 확인합니다: lottery-ops draws places-confirm {campaign} --token={token}"),
    "confirmed": ("{campaign}: {seats} seats, {waitlist} on the waitlist; new commitment {commitment}",
                  "{campaign}: 당첨 {seats}명, 대기 {waitlist}명; 새 약속값 {commitment}"),
}, help={
    "Correct the seats and waitlist (seed §3.5): while open at once; after the close a second operator confirms.":
        "당첨·대기 인원을 정정합니다(seed §3.5): 응모 중이면 바로, 마감 뒤에는 다른 운영자가 확인합니다.",
    "Winners (K)": "당첨 인원(K)",
    "Places on the waitlist (W)": "대기 인원(W)",
    "Why (kept in the audit log and the public commitment log)": "사유(감사 로그와 공개 약속 기록에 남음)",
    "Seat corrections waiting for a second operator: what each changes, why, who asked, the token.":
        "다른 운영자의 확인을 기다리는 인원 정정: 바뀌는 내용, 사유, 요청자, 토큰.",
    "Confirm another operator's seat correction (a fresh second factor; never your own).":
        "다른 운영자의 인원 정정을 확인합니다(새 2차 인증; 자기 요청은 불가).",
    "The token of the correction to confirm (draws places-requests lists them)":
        "확인할 정정의 토큰(draws places-requests가 보여 줌)",
    "The draw's public commitment and its history in the public log (no login needed).":
        "추첨의 공개 약속값과 공개 기록의 이력(로그인 불필요).",
})
COMMITMENT_FIELDS = ["campaign_id", "status", "algorithm", "commitment", "frozen_set_hash", "beacon_round",
                     "beacon_due_at_kst", "beacon_round_published", "beacon_waiting_since", "beacon_problem"]


def _ops() -> Ops:
    return Ops(context().totp)


@takes_totp
def places(campaign: str, seats: Annotated[int, typer.Option(help="Winners (K)")],
           waitlist: Annotated[int, typer.Option(help="Places on the waitlist (W)")],
           reason: Annotated[str, typer.Option(help="Why (kept in the audit log and the public commitment log)")],
           ) -> None:
    """Correct the seats and waitlist (seed §3.5): while open at once; after the close a second operator confirms."""
    lottery, change = _ops().lottery, body(PlacesIn, seats=seats, waitlist_size=waitlist, reason=reason)
    if lottery.draw(campaign).status == "open":
        emit(as_json(lottery.correct_places(campaign, change)), lambda data: console.print(WORDS["places"].format(
            campaign=campaign, seats=data["seats"], waitlist=data["waitlist_size"], reason=reason)))
        return
    emit(as_json(lottery.prepare_places(campaign, change)), lambda data: console.print(WORDS["asked"].format(
        campaign=campaign, seats_before=data["seats_before"], seats=data["seats"], reason=reason,
        waitlist_before=data["waitlist_size_before"], waitlist=data["waitlist_size"], token=data["token"])))


REQUEST_COLUMNS = ["seats_before", "seats", "waitlist_size_before", "waitlist_size", "reason", "requested_by",
                   "requested_at", "expires_at", "token"]


def places_requests(campaign: str) -> None:
    """Seat corrections waiting for a second operator: what each changes, why, who asked, the token."""
    emit(as_json(_ops().lottery.places_requests(campaign)), lambda rows: table(rows, REQUEST_COLUMNS))


@takes_totp
def places_confirm(campaign: str, token: Annotated[str, typer.Option(
        help="The token of the correction to confirm (draws places-requests lists them)")]) -> None:
    """Confirm another operator's seat correction (a fresh second factor; never your own)."""
    draw = as_json(_ops().lottery.confirm_places(campaign, TokenIn(token=token)))
    emit(draw, lambda data: console.print(WORDS["confirmed"].format(
        campaign=campaign, seats=data["seats"], waitlist=data["waitlist_size"], commitment=data["commitment"])))


def commitment(campaign: str) -> None:
    """The draw's public commitment and its history in the public log (no login needed)."""
    shown = as_json(_ops().lottery.commitment(campaign))
    emit(shown, lambda data: fields(data, [*COMMITMENT_FIELDS, "history"]))


def attach(draws: typer.Typer) -> None:
    """The commands sit under `draws`, beside the run they correct."""
    draws.command("places")(places)
    draws.command("places-requests")(places_requests)
    draws.command("places-confirm")(places_confirm)
    draws.command("commitment")(commitment)
