"""Notices and the Kakao outage report without a fleet (seed §1, §9.3, §14): the notice form read as the lottery's
request or refused at its fields (an empty segment, a missing parameter, an end before its start), the service's
field names moved to the form's, and the pages rendered in Korean — the confirmation with the count per channel and
the text, the outages with one still going told in words, one outage's windows in KST."""

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from console_service.domain.notice_form import PARAM_LABELS, TEMPLATES, form_fields, notice_of
from console_service.entrypoints.http.rendering import Pages
from platform_shared.auth.access import Role
from platform_shared.contracts.admin.kakao import FailureWindowOut, KakaoOutageOut, KakaoOutageReportOut
from platform_shared.contracts.admin.notices import CampaignSegmentIn, NoticePreparedOut, RefusedSegmentIn
from platform_shared.contracts.notices import NOTICE_PARAMS

NOW = datetime(2026, 12, 1, 12, 30, tzinfo=UTC)  # 21:30 KST
INCIDENT = {"params.notice_time": "2026년 12월 1일 22:10 (KST)", "params.affected": "응모",
            "params.period": "21:00–21:40", "params.action": "AdGate 예외 적용", "params.retry": "다시 응모해 주세요"}


def test_a_campaign_notice_is_the_lottery_request():
    notice, errors = notice_of({"template": "INCIDENT_NOTICE", "segment_kind": "campaign", "campaign_id": "winter",
                                "incident_id": "INC-29", **INCIDENT}, ["message", "email"])
    assert errors == {} and notice is not None
    assert notice.segment.model_dump() == {"kind": "campaign", "campaign_id": "winter"}
    assert notice.params["retry"] == "다시 응모해 주세요" and notice.incident_id == "INC-29"


def test_a_refused_window_is_read_as_kst_and_refused_when_it_ends_before_it_starts():
    form = {"template": "INCIDENT_NOTICE", "segment_kind": "refused", "refused_from": "2026-12-01T21:00",
            "refused_until": "2026-12-01T21:40", "refused_reason": "adgate", **INCIDENT}
    notice, errors = notice_of(form, ["message"])
    assert errors == {} and notice is not None and isinstance(notice.segment, RefusedSegmentIn)
    assert notice.segment.start == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    _, errors = notice_of({**form, "refused_until": "2026-12-01T20:00"}, ["message"])
    assert set(errors) == {"refused_until"}
    _, errors = notice_of({**form, "refused_from": "soon", "refused_until": ""}, ["message"])
    assert set(errors) == {"refused_from", "refused_until"}


def test_missing_parts_are_told_at_their_fields_and_nothing_is_built():
    notice, errors = notice_of({"template": "INCIDENT_NOTICE", "segment_kind": "campaign", "campaign_id": " ",
                                **INCIDENT, "params.retry": ""}, [])
    assert notice is None and set(errors) == {"campaign_id", "params.retry", "channels"}
    _, errors = notice_of({"template": "DRAW_ROLLBACK_NOTICE", "segment_kind": "campaign", "campaign_id": "a b",
                           "params.campaign_name": "겨울", "params.reason": "오류", "params.rolled_back_at": "x"},
                          ["message"])
    assert set(errors) == {"campaign_id"}
    _, errors = notice_of({"template": "DRAW_ROLLBACK_NOTICE", "segment_kind": "campaign", "campaign_id": "ab",
                           "params.campaign_name": "겨울", "params.reason": "오류", "params.rolled_back_at": "x"},
                          ["message", "fax"])
    assert set(errors) == {"channels"}
    assert form_fields({"segment": "nobody", "segment.until": "order", "params.retry": "needed"}) == {
        "segment_kind": "nobody", "refused_until": "order", "params.retry": "needed"}
    assert set(TEMPLATES) == set(NOTICE_PARAMS) and all(n in PARAM_LABELS for ns in NOTICE_PARAMS.values() for n in ns)


def request(path: str) -> Request:
    scope: dict[str, Any] = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b"",
                             "state": {}, "app": None, "root_path": "", "scheme": "https", "server": ("console", 443)}
    found = Request(scope)
    found.state.locale, found.state.csrf = "ko", "secret"
    found.state.session = SimpleNamespace(role=Role.PM, account="pm", may=lambda access: True)
    return found


def text_of(response: Response) -> str:
    return bytes(response.body).decode()


def test_the_notice_page_shows_the_count_per_channel_and_the_text_to_confirm():
    segment = CampaignSegmentIn(kind="campaign", campaign_id="winter")
    prepared = NoticePreparedOut(template="INCIDENT_NOTICE", segment=segment,
                                 params={}, channels=["message", "email"], incident_id="INC-29", locale=None,
                                 recipients=3, per_channel={"message": 3, "email": 3}, sample=["1", "2", "3"],
                                 notice_key="k" * 16, token="t" * 32, expires_at=NOW.isoformat())
    shown = text_of(Pages().render(
        request("/notifications/notices"), "pages/notifications/notices.html", notices=[], templates=TEMPLATES,
        notice_params=NOTICE_PARAMS, param_labels=PARAM_LABELS, fields={"params.retry": "비었습니다"},
        may_send=True, form={"template": "INCIDENT_NOTICE"}, channels=["message"], prepared=prepared,
        text="[안내] 시스템 점검/장애 안내"))
    assert "이 공지를 3명에게 보낼까요?" in shown and "채널 message" in shown and "3명" in shown
    assert "[안내] 시스템 점검/장애 안내" in shown and "재시도 안내" in shown and "비었습니다" in shown
    assert "data-modal" in shown and "21:30 (KST)" in shown


def test_the_outage_pages_show_windows_in_kst_and_an_ongoing_outage_in_words():
    ongoing = KakaoOutageOut(id=7, started_at=NOW, ended_at=None, replicas_down=["lottery/a"])
    listed = text_of(Pages().render(request("/policies/kakao-outages"), "pages/policies/kakao_outages.html",
                                    outages=[ongoing]))
    assert "진행 중" in listed and "/policies/kakao-outages/7" in listed and "lottery/a" in listed
    report = KakaoOutageReportOut(
        outage=ongoing.model_copy(update={"ended_at": NOW, "replicas_down": []}),
        windows=[FailureWindowOut(window_start=NOW, window_end=NOW.replace(minute=31), failures={"issuer_down": 4},
                                  total=4)], totals={"issuer_down": 4}, replicas=["lottery/a", "lottery/b"])
    shown = text_of(Pages().render(request("/policies/kakao-outages/7"), "pages/policies/kakao_outage.html",
                                   report=report, reasons=["issuer_down"]))
    assert "21:30 (KST) – 2026년 12월 1일 21:31 (KST)" in shown and "issuer_down" in shown
    assert "진행 중" not in shown and "시간대별 인증 실패" in shown
