"""The incident and banner pages without a fleet (seed §1, §13): the form's text read as the policy service takes
it (campaigns, KST times, the SEV3 figures), the service's field errors placed at their fields, and every
incident template rendered in Korean with its dialogs — delivery states in words, not only colour."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.requests import Request

from console_service.domain.incidents import POST_STATES, at_fields, kst_moment, listed, queue_figures
from console_service.domain.paging import Page, paged
from console_service.entrypoints.http.incident import WORDS
from console_service.entrypoints.http.rendering import Pages
from platform_shared.contracts.admin.incidents import (
    FirstResponsePreparedOut,
    IncidentDetailOut,
    LevelOut,
    PostOut,
    StepOut,
    StoredBannerOut,
    TimelineEntryOut,
)
from platform_shared.contracts.banners import Banner

NOW = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)


def test_the_form_text_is_read_as_the_service_takes_it():
    assert listed("winter, spring  summer,") == ["winter", "spring", "summer"]
    assert kst_moment("2026-12-08T10:00") == datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    assert kst_moment("  ") is None
    with pytest.raises(ValueError):
        kst_moment("tomorrow")
    figures = queue_figures({"counts": {"queued": 3}, "release_backlog": 0, "sending": {"paused": False},
                             "other": 1})
    assert figures == {"counts": {"queued": 3}, "release_backlog": 0, "sending_paused": False}


def test_field_errors_go_to_their_fields_and_the_rest_above_the_form():
    at_field, other = at_fields({"campaigns.0": "bad id", "title": "too long", "queue": "x"}, ("title", "campaigns"))
    assert at_field == {"campaigns": "bad id", "title": "too long"} and other == {"queue": "x"}


def request(path: str, query: bytes = b"") -> Request:
    scope: dict[str, Any] = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": query,
                             "state": {}, "app": None, "root_path": "", "scheme": "https", "server": ("console", 443)}
    found = Request(scope)
    found.state.locale, found.state.csrf, found.state.session = "ko", "secret", None
    return found


def text_of(response: Any) -> str:
    return bytes(response.body).decode()


LEVEL = LevelOut(sev=2, name="주요 기능 저하", name_en="Major degradation", definition="주요 기능 하나가 크게 저하됨",
                 definition_en="One major feature", examples=["AdGate 대량 실패"], examples_en=["AdGate failing"],
                 first_response="adgate_exception", first_response_name="예외 플래그",
                 first_response_name_en="Exception flag", checklist=[StepOut(ko="SEV2 방송", en="Broadcast")],
                 default_banner="일시적으로 스폰서 방문 검증을 면제합니다", default_banner_en="waived")
BANNER = StoredBannerOut(id=3, kind="general", text="점검 안내", text_en=None, campaign_id=None, starts_at=NOW,
                         ends_at=NOW + timedelta(hours=1), set_by="pm", reason="정기 점검", incident_id=7,
                         created_at=NOW, ended_at=None, ended_by=None)


def incident() -> IncidentDetailOut:
    posts = [PostOut.model_validate({"id": i, "kind": "opened", "status": state, "attempts": 2, "created_at": NOW,
                                     "next_attempt_at": NOW, "sent_at": None, "text": "…",
                                     "last_error": "timeout" if state == "failed" else None})
             for i, state in enumerate(POST_STATES, 1)]
    return IncidentDetailOut(id=7, sev=2, title="AdGate 실패 급증", summary="", status="open", campaigns=["winter"],
                             features=["adgate"], opened_by="pm", opened_at=NOW, mitigated_at=None,
                             resolved_at=None, first_response_at=None, banners=[BANNER], posts=posts,
                             timeline=[TimelineEntryOut(kind="opened", at=NOW, actor="pm", text="열림", evidence={})])


def test_the_incident_templates_render_in_korean_with_their_dialogs():
    pages = Pages()
    shown = pages.render(request("/incidents"), "pages/incidents/list.html", active=[incident()], rows=[incident()],
                         page=Page.of(1, 50, 1), levels=[LEVEL], features=WORDS["features"],
                         statuses=WORDS["statuses"], values={"sev": "2"}, errors={"title": "너무 깁니다"},
                         other_errors={}, message="", may_open=True)
    text = text_of(shown)
    assert "장애 열기" in text and "● 열림" in text and "☐ SEV2 방송" in text and "(KST)" in text
    assert 'id="e-title"' in text and 'value="2" checked' in text
    prepared = FirstResponsePreparedOut(incident_id=7, sev=2, first_response="adgate_exception",
                                        actions=["AdGate 예외 플래그 ON: winter"], banner=None,
                                        policy_changes=[{"path": "adgate_exceptions", "before": [], "after": ["x"]}],
                                        proposed_against=4, evidence=None, reason="급증", token="t" * 20,
                                        expires_at=NOW.isoformat())
    shown = pages.render(request("/incidents/7", b"still_exempt=winter"), "pages/incidents/incident.html",
                         incident=incident(), level=LEVEL, form="", values={}, errors={}, message="",
                         other_errors={}, still_exempt=["winter"], words=WORDS, may_act=True, prepared=prepared,
                         resolving="복구 완료")
    text = text_of(shown)
    for words in ("✓ 보냄", "⟳ 재시도 중", "✗ 실패", "timeout", "AdGate 예외 플래그 ON: winter", "adgate_exceptions",
                  "이 장애를 해결됨으로 닫을까요?", "/policies/adgate", "타임라인"):
        assert words in text, words
    shown = pages.render(request("/incidents/banners"), "pages/incidents/banners.html",
                         in_force=[Banner(kind="adgate_exception", text="면제", campaign_id="winter", starts_at=NOW,
                                          set_by="pm", reason="급증")],
                         stored=[BANNER], page=Page.of(1, 50, 1), kinds=WORDS["banner_kinds"], limit=200,
                         now=NOW + timedelta(minutes=5), form="set", values={"text": "x" * 201},
                         errors={"text": "200자 이하"}, other_errors={}, message="", may_set=True)
    text = text_of(shown)
    assert "AdGate 예외" in text and "● 게시 중" in text and "지금 종료" in text and "최대 200자" in text
    assert 'id="banner-text-error"' in text and 'maxlength=200' in text


def test_a_page_past_the_end_is_read_again_as_the_last_one():
    asked: list[tuple[int, int]] = []

    class Found:
        total = 60

    def fetch(offset: int, limit: int) -> Found:
        asked.append((offset, limit))
        return Found()

    _, page = paged(fetch, 5, 50)
    assert page.number == 2 and asked == [(200, 50), (50, 50)]
