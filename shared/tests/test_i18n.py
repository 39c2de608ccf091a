"""Korean first, KST always (seed: `timezone: Asia/Seoul`; runbook §14): the reader's locale, instants as people
read them, and error answers in the reader's language with the machine-readable code and field unchanged."""

from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from platform_shared.errors import InvalidStateError, NotFoundError
from platform_shared.i18n import kst_minute, kst_minute_of_text, negotiate
from platform_shared.web.errors import install_error_handlers


@pytest.mark.parametrize(("header", "locale"), [
    (None, "ko"), ("", "ko"), ("ko-KR", "ko"), ("en", "en"), ("en-US,en;q=0.9", "en"),
    ("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ko"), ("fr-FR, en;q=0.5", "en"), ("fr", "ko"),
    ("en;q=0.2, ko;q=0.8", "ko"), ("en;q=0", "ko"), ("*", "ko"), ("en;q=nonsense", "ko"),
])
def test_the_reader_gets_korean_unless_they_prefer_english(header: str | None, locale: str) -> None:
    assert negotiate(header) == locale


def test_an_instant_is_shown_in_kst_to_the_minute_with_the_zone_named() -> None:
    utc = datetime(2026, 12, 8, 12, 2, 9, 349049, tzinfo=UTC)
    assert kst_minute(utc) == "2026년 12월 8일 21:02 (KST)"
    assert kst_minute(utc, "en") == "8 Dec 2026, 21:02 (KST)"
    late = datetime(2026, 12, 31, 15, 30, tzinfo=UTC)  # already the next day in Korea
    assert kst_minute(late) == "2027년 1월 1일 00:30 (KST)"
    with pytest.raises(ValueError):
        kst_minute(datetime(2026, 12, 8, 12, 2))


def test_an_instant_carried_as_text_is_shown_the_same_way_and_other_text_is_left_alone() -> None:
    assert kst_minute_of_text("2026-12-08T12:02:09.349049+00:00") == "2026년 12월 8일 21:02 (KST)"
    assert kst_minute_of_text("2026-12-08T21:02:00+09:00", "en") == "8 Dec 2026, 21:02 (KST)"
    assert kst_minute_of_text("12-02 10:00") == "12-02 10:00"
    assert kst_minute_of_text("2026-12-08T12:02:09") == "2026-12-08T12:02:09", "no zone: not guessed"


class Seats(BaseModel):
    seats: int


def app() -> FastAPI:
    application = FastAPI()
    install_error_handlers(application)

    @application.post("/runs/{run_id}/rollback")
    async def rollback(run_id: str) -> None:
        raise InvalidStateError(f"run {run_id} is rolled_back; only a completed run can be rolled back",
                                field="run_id")

    @application.get("/draws/{campaign}")
    async def draw(campaign: str) -> None:
        raise NotFoundError(f"no draw {campaign!r}", field="campaign_id")

    @application.post("/seats")
    async def seats(body: Seats) -> None:
        return None

    return application


async def answer(method: str, path: str, language: str | None = None, **kwargs: object) -> httpx.Response:
    headers = {"Accept-Language": language} if language else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://test") as client:
        return await client.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]


async def test_an_error_answer_is_korean_by_default_and_english_on_request_with_its_code_and_field_kept() -> None:
    korean = await answer("POST", "/runs/r-1/rollback", "ko-KR,ko;q=0.9")
    default = await answer("POST", "/runs/r-1/rollback")
    english = await answer("POST", "/runs/r-1/rollback", "en-US,en;q=0.9")

    assert korean.status_code == english.status_code == 409
    assert korean.json() == default.json() == {
        "error": "InvalidStateError", "field": "run_id",
        "message": "지금 상태에서는 할 수 없는 작업입니다: "
                   "run r-1 is rolled_back; only a completed run can be rolled back"}
    assert english.json() == {"error": "InvalidStateError", "field": "run_id",
                              "message": "run r-1 is rolled_back; only a completed run can be rolled back"}
    missing = await answer("GET", "/draws/spring")
    assert missing.json() == {"error": "NotFoundError", "field": "campaign_id",
                              "message": "찾을 수 없습니다: no draw 'spring'"}


async def test_a_field_level_validation_answer_keeps_its_details_and_says_which_fields_in_the_readers_language(
        ) -> None:
    korean = await answer("POST", "/seats", json={"seats": "many"})
    english = await answer("POST", "/seats", "en", json={"seats": "many"})

    assert korean.status_code == english.status_code == 422
    assert korean.json()["detail"] == english.json()["detail"]
    assert [d["loc"] for d in korean.json()["detail"]] == [["body", "seats"]]
    assert "input" not in korean.json()["detail"][0], "the value sent is never repeated"
    assert korean.json()["message"] == "입력값이 올바르지 않습니다. 항목을 확인해 주세요: body.seats"
    assert english.json()["message"] == "Some fields are not valid: body.seats"
