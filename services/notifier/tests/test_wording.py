"""What people read (seed: `timezone: Asia/Seoul`; runbook §14.2), without infrastructure: the shipped templates
in Korean and English, instants in KST to the minute with the zone named, the campaign by its display name."""

import importlib.util
import string
from pathlib import Path
from types import ModuleType

import pytest

from notifier_service.domain.delivery import TemplateError
from notifier_service.domain.wording import message_text, shown_params

VERSIONS = Path(__file__).resolve().parents[1] / "src/notifier_service/migrations/versions"


def shipped() -> ModuleType:
    spec = importlib.util.spec_from_file_location("korean_templates", VERSIONS / "0007_korean_templates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEXTS = shipped()
TEMPLATES = {**{(name, "ko"): body for name, body in TEXTS.KOREAN.items()},
             **{(name, "en"): body for name, body in TEXTS.ENGLISH.items()}}
OFFER = {"campaign_id": "demo-b0fc21", "campaign_name": "겨울 콘서트", "offer_id": "o-1",
         "respond_by": "2026-12-08T12:02:09.349049+00:00", "answer_link": "https://lottery.test/offers/o-1"}


def test_an_offer_reads_in_korean_with_its_deadline_in_kst_and_the_campaigns_name() -> None:
    text = message_text(TEMPLATES, "WINNER_OFFER", None, OFFER)

    assert text == ("[당첨 안내] 축하합니다! 겨울 콘서트에 당첨되셨습니다. 2026년 12월 8일 21:02 (KST)까지 참여 여부를 "
                    "알려 주세요: https://lottery.test/offers/o-1")
    assert "demo-b0fc21" not in text and "+00:00" not in text


def test_the_same_offer_in_english_when_the_message_asks_for_it() -> None:
    assert message_text(TEMPLATES, "WINNER_OFFER", "en", OFFER) == (
        "Congratulations! You won a seat in 겨울 콘서트. Please answer by 8 Dec 2026, 21:02 (KST): "
        "https://lottery.test/offers/o-1")


def test_a_correction_says_why_what_was_done_and_what_the_person_may_do() -> None:
    params = {"campaign_id": "c-1", "campaign_name": "겨울 콘서트", "reason": "좌석 수 오기",
              "rolled_back_at": "2026-12-08T11:30:00+00:00", "rolled_back_run_id": "r-1"}

    korean = message_text(TEMPLATES, "DRAW_ROLLBACK_NOTICE", "ko", params)
    english = message_text(TEMPLATES, "DRAW_ROLLBACK_NOTICE", "en", params)

    assert korean.startswith("[중요] 추첨 결과 정정 안내\n겨울 콘서트의 추첨 결과를 정정합니다.")
    assert "정정 사유: 좌석 수 오기" in korean and "2026년 12월 8일 20:30 (KST)에 이전 추첨 결과를 무효화" in korean
    assert "이용자 권리: 이번 정정에 대해 문의하거나 이의를 제기" in korean
    assert "will be redrawn" not in english and "Reason: 좌석 수 오기" in english
    assert "on 8 Dec 2026, 20:30 (KST) the earlier result was withdrawn" in english


def test_a_kept_seat_is_told_it_stands_with_the_new_offer_to_answer() -> None:
    text = message_text(TEMPLATES, "SEAT_CONFIRMED", "ko", {**OFFER, "reason": "필터 오류"})

    assert "정정 사유: 필터 오류" in text and "당첨은 그대로 유지됩니다" in text
    assert text.endswith("2026년 12월 8일 21:02 (KST)까지 참여 여부를 다시 알려 주세요: https://lottery.test/offers/o-1")


def test_every_template_has_both_languages_and_the_same_placeholders_in_each() -> None:
    assert set(TEXTS.KOREAN) == set(TEXTS.ENGLISH) == {"WINNER_OFFER", "WAITLIST_PROMOTION", "SEAT_CONFIRMED",
                                                       "DRAW_ROLLBACK_NOTICE", "INCIDENT_NOTICE"}
    for name in TEXTS.KOREAN:
        placeholders = [{m[2] or m[1] for m in string.Template.pattern.findall(body)}
                        for body in (TEXTS.KOREAN[name], TEXTS.ENGLISH[name])]
        assert placeholders[0] == placeholders[1], name


def test_a_request_from_before_display_names_names_the_campaign_by_its_id() -> None:
    old = {"campaign_id": "demo-b0fc21", "offer_id": "o-1", "respond_by": "2026-12-08T12:02:09+00:00",
           "answer_link": "https://x"}

    assert "demo-b0fc21에 당첨되셨습니다" in message_text(TEMPLATES, "WINNER_OFFER", "ko", old)
    assert shown_params({"message": "2026-12-08T12:02:09+00:00"}, "ko") == {"message": "2026-12-08T12:02:09+00:00"}, \
        "only the parameters that carry an instant are shown as one"


def test_a_missing_english_text_falls_back_to_korean_and_a_missing_template_is_a_template_error() -> None:
    korean_only = {("INCIDENT_NOTICE", "ko"): "[안내] ${message}"}

    assert message_text(korean_only, "INCIDENT_NOTICE", "en", {"message": "점검"}) == "[안내] 점검"
    with pytest.raises(TemplateError):
        message_text(korean_only, "WINNER_OFFER", "ko", OFFER)
