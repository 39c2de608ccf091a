"""The seat count and the public commitment on a draw's page without a fleet (seed §3.5, docs/draw-algorithm.md
§8.3–§8.6), the routes called with a stand-in lottery: while open one step; after the close the first of two,
its dialog showing before → after, the commitment it replaces, the validity in KST and the token a second
operator confirms; the asker's own confirmation refused in words beside the token; and the commitment — the
beacon round, when it is due, a beacon waited for, the public log's history — in Korean, in KST."""

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from console_service.access import ACCESS
from console_service.domain.session import ConsoleSession
from console_service.entrypoints.http.lottery_places import confirm_places, correct_places
from console_service.entrypoints.http.rendering import Pages
from platform_shared.auth.access import Role
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.lottery import CommitmentOut, PlacesPreparedOut, PlacesRequestOut
from platform_shared.contracts.admin.lottery_requests import PlacesIn
from platform_shared.contracts.admin.lottery_rows import DrawOut
from platform_shared.contracts.admin.models import TokenIn

NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)  # 10:00 KST
COMMITMENT, NEW_COMMITMENT, TOKEN = "c0" * 32, "d1" * 32, "tok_" + "x" * 28
DRAW_URL = "/lottery/draws/winter"
ASKER_REFUSED = ("a seat or waitlist change after the close needs a second operator: pm asked for it, another "
                 "operator confirms")


def log_entry(number: int, kind: str, at: str, digest: str) -> dict[str, Any]:
    return {"seq": 40 + number, "number": number, "campaign_id": "winter", "kind": kind, "at": at,
            "record": {}, "hash": digest * 64, "previous": "0" * 64, "campaign_previous": "0" * 64}


class Lottery:
    """The lottery as the console's client answers: a draw of `status`, and what each call was sent."""

    def __init__(self, status: str, confirm_refused: Refused | None = None, waiting: bool = False) -> None:
        self.status, self.confirm_refused, self.waiting = status, confirm_refused, waiting
        self.sent: list[tuple[str, object]] = []

    def draw(self, campaign_id: str) -> DrawOut:
        return DrawOut(campaign_id=campaign_id, display_name="겨울 추첨", seats=3, waitlist_size=2, draw_at=NOW,
                       requires_intro=False, requires_adgate=False, weight_cap=None, cooldown_hours=0,
                       status=self.status, commitment=None if self.status == "open" else COMMITMENT,
                       frozen_set_hash=None, algorithm=None if self.status == "open" else "LOTTERY4")

    def commitment(self, campaign_id: str) -> CommitmentOut:
        self.sent.append(("commitment", campaign_id))
        return CommitmentOut(
            campaign_id=campaign_id, status=self.status, algorithm="LOTTERY4", commitment=COMMITMENT, committed={},
            frozen_set_hash="f" * 64, beacon_round=4_321, beacon_due_at_kst="2026-01-05T10:02:30+09:00",
            beacon_round_published=False, beacon_waiting_since=NOW if self.waiting else None,
            beacon_problem="beacon unreachable: connection refused" if self.waiting else None,
            history=[log_entry(1, "closed", "2026-01-05T09:58:07+09:00", "a"),
                     log_entry(2, "places_changed", "2026-01-05T09:59:41+09:00", "b")])

    def audit(self, **_: object) -> list[object]:
        return []

    def correct_places(self, campaign_id: str, body: PlacesIn) -> DrawOut:
        self.sent.append(("correct_places", body))
        return self.draw(campaign_id)

    def prepare_places(self, campaign_id: str, body: PlacesIn) -> PlacesPreparedOut:
        self.sent.append(("prepare_places", body))
        return PlacesPreparedOut(campaign_id=campaign_id, seats=body.seats, waitlist_size=body.waitlist_size,
                                 seats_before=3, waitlist_size_before=2, reason=body.reason, commitment=COMMITMENT,
                                 then="a second operator confirms", token=TOKEN,
                                 expires_at="2026-01-05T01:15:00+00:00")

    def places_requests(self, campaign_id: str) -> list[PlacesRequestOut]:
        """One correction another operator asked for, waiting."""
        self.sent.append(("places_requests", campaign_id))
        return [PlacesRequestOut(campaign_id=campaign_id, seats=6, waitlist_size=2, seats_before=3,
                                 waitlist_size_before=2, reason="후원사 추가 좌석", commitment=COMMITMENT,
                                 then="a second operator confirms", token="asked-by-admin-token",
                                 expires_at="2026-01-05T01:15:00+00:00", requested_by="admin",
                                 requested_at="2026-01-05T01:00:00+00:00")]

    def confirm_places(self, campaign_id: str, body: TokenIn) -> DrawOut:
        self.sent.append(("confirm_places", body))
        if self.confirm_refused is not None:
            raise self.confirm_refused
        return self.draw(campaign_id).model_copy(update={"seats": 5, "waitlist_size": 4,
                                                         "commitment": NEW_COMMITMENT})


def posted(path: str, form: dict[str, str]) -> Request:
    scope: dict[str, Any] = {"type": "http", "method": "POST", "path": path, "headers": [], "query_string": b"",
                             "state": {}, "app": None, "root_path": "", "scheme": "https", "server": ("console", 443)}
    found = Request(scope)
    found.state.locale, found.state.csrf = "ko", "secret"
    found.state.session = ConsoleSession.begin("pm", Role.PM, "access", None, NOW)
    found.state.form = FormData(form)
    return found


def console_of(lottery: Lottery) -> Any:
    return SimpleNamespace(services=lambda request: SimpleNamespace(lottery=lottery), table=ACCESS)


def text_of(response: Response) -> str:
    return bytes(response.body).decode()


PLACES = {"seats": "5", "waitlist_size": "4", "reason": "후원사가 5석을 주었습니다"}


def test_an_open_draw_is_corrected_in_one_step():
    lottery = Lottery("open")
    shown = correct_places(posted(f"{DRAW_URL}/places", PLACES), console_of(lottery), Pages(), "winter")
    assert [name for name, _ in lottery.sent] == ["correct_places"]
    assert shown.status_code == 200 and "data-modal" not in text_of(shown)
    assert "좌석 수와 대기자 수를 정정했습니다" in text_of(shown)
    assert "/places/confirm" not in text_of(shown), "nothing to confirm while entries are open"


def test_a_closed_draw_asks_and_shows_the_token_a_second_operator_confirms():
    lottery = Lottery("closed")
    shown = correct_places(posted(f"{DRAW_URL}/places", PLACES), console_of(lottery), Pages(), "winter")
    text = text_of(shown)
    assert [name for name, _ in lottery.sent] == ["prepare_places", "commitment", "places_requests"], \
        "asked, not changed"
    assert shown.status_code == 200 and "data-modal" in text
    assert "약속된 좌석 수와 대기자 수를 정정할까요?" in text
    assert "3 → 5" in text and "2 → 4" in text and "후원사가 5석을 주었습니다" in text
    assert f"대체되는 약속값</dt><dd>{COMMITMENT}" in text
    assert "2026년 1월 5일 10:15 (KST)" in text, "valid until, in KST"
    assert f'id="second-operator-token">{TOKEN}<' in text and "다른 운영자가 확인합니다" in text
    assert f'action="{DRAW_URL}/places/confirm"' in text and f'name="token" value="{TOKEN}"' in text
    assert "다른 운영자의 좌석 수 정정 확인" in text, "the form the second operator confirms with"


def test_a_wrong_count_is_told_at_its_field_and_nothing_is_asked():
    lottery = Lottery("closed")
    shown = correct_places(posted(f"{DRAW_URL}/places", {**PLACES, "seats": "0"}), console_of(lottery), Pages(),
                           "winter")
    assert shown.status_code == 422 and 'id="e-places_seats"' in text_of(shown)
    assert [name for name, _ in lottery.sent] == ["commitment", "places_requests"]


def test_the_askers_own_confirmation_is_refused_in_words_beside_the_token():
    refused = Refused("POST", "/draws/winter/places/confirm", 403, f"{ASKER_REFUSED} [token]",
                      {"token": ASKER_REFUSED})
    lottery = Lottery("closed", confirm_refused=refused)
    shown = confirm_places(posted(f"{DRAW_URL}/places/confirm", {"token": TOKEN}), console_of(lottery), Pages(),
                           "winter")
    text = text_of(shown)
    assert shown.status_code == 403 and 'role="alert"' in text
    assert "이 정정을 요청한 운영자는 직접 확인할 수 없습니다" in text and "pm asked for it" in text
    assert 'id="e-places_token">다른 운영자의 확인이 필요합니다<' in text
    assert f'name="token" type="text" value="{TOKEN}"' in text, "the token stays, to hand over"


def test_another_operators_confirmation_corrects_and_says_so():
    lottery = Lottery("closed")
    shown = confirm_places(posted(f"{DRAW_URL}/places/confirm", {"token": TOKEN}), console_of(lottery), Pages(),
                           "winter")
    assert lottery.sent[0][0] == "confirm_places"
    assert "좌석 5석, 대기자 4명; 새 약속값이 공개 기록에 올랐습니다" in text_of(shown)
    empty = confirm_places(posted(f"{DRAW_URL}/places/confirm", {"token": " "}), console_of(Lottery("closed")),
                           Pages(), "winter")
    assert empty.status_code == 422 and 'id="e-places_token"' in text_of(empty)


def test_the_commitment_is_shown_in_korean_in_kst_with_a_beacon_waited_for():
    lottery = Lottery("drawing_ready", waiting=True)
    refused = Refused("POST", "/draws/winter/places/confirm", 409, "the draw's commitment changed since",
                      {"token": "the draw's commitment changed since this correction was asked for; ask again"})
    lottery.confirm_refused = refused
    text = text_of(confirm_places(posted(f"{DRAW_URL}/places/confirm", {"token": TOKEN}), console_of(lottery),
                                  Pages(), "winter"))
    assert "ask again" in text and "이 정정을 요청한 운영자는" not in text, "another refusal keeps its own words"
    assert "공개 약속값" in text and f'<dd class="hash">{COMMITMENT}</dd>' in text and "LOTTERY4" in text
    assert "공개 난수(비콘) 라운드</dt><dd>4,321</dd>" in text
    assert "라운드 공개 시각</dt><dd>2026년 1월 5일 10:02 (KST)</dd>" in text
    assert "아직 아님: 공개 전에는 누구도 추첨 키를 알 수 없습니다" in text
    assert "2026년 1월 5일 10:00 (KST)부터 공개 난수(비콘)를 기다리는 중: beacon unreachable" in text
    assert "공개 약속 기록의 이력" in text
    for kind, at, digest in (("마감(closed)", "09:58", "a"), ("인원 정정(places_changed)", "09:59", "b")):
        assert f"<td>{kind}</td>" in text and f"2026년 1월 5일 {at} (KST)" in text
        assert f'<code title="{digest * 64}">{digest * 12}</code>' in text


def test_a_second_operator_reads_each_waiting_correction_before_confirming_it():
    """Not a token handed over blind: who asked, when (KST), the counts before → after and why, one button each."""
    lottery = Lottery("closed")
    shown = text_of(confirm_places(posted(f"{DRAW_URL}/places/confirm", {"token": TOKEN}), console_of(lottery),
                                   Pages(), "winter"))
    assert "places_requests" in [name for name, _ in lottery.sent]
    listed = shown[shown.index('class="places-requests"'):]
    assert "admin" in listed and "3 → 6" in listed and "후원사 추가 좌석" in listed and "(KST)" in listed
    assert 'name="token" value="asked-by-admin-token"' in listed
