"""`lottery-ops kakao outage ID` (seed §9.3): the report as a table by time window, in Korean, times in KST to
the minute with the zone named; English on request."""

from platform_deploy.ops import kakao
from platform_deploy.ops.output import console
from platform_deploy.ops.words import choose

REPORT = {
    "outage": {"id": 7, "started_at": "2026-12-07T13:05:00Z", "ended_at": "2026-12-07T13:07:20Z",
               "replicas_down": []},
    "windows": [
        {"window_start": "2026-12-07T13:05:00Z", "window_end": "2026-12-07T13:06:00Z",
         "failures": {"issuer_unavailable": 5, "unknown_key": 2}, "total": 7},
        {"window_start": "2026-12-07T13:06:00Z", "window_end": "2026-12-07T13:07:00Z",
         "failures": {"issuer_unavailable": 3}, "total": 3},
    ],
    "totals": {"issuer_unavailable": 8, "unknown_key": 2},
    "replicas": ["lottery/a:1", "lottery/a:2", "waitlist/a:3"],
}


def shown(locale: str) -> str:
    choose("en" if locale == "en" else "ko")
    width, console.width = console.width, 160  # a wide terminal: no line folds
    try:
        with console.capture() as captured:
            kakao.show_report(REPORT)
    finally:
        choose(None)
        console.width = width
    return captured.get()


def test_the_report_reads_in_korean_by_window_with_kst_times_and_totals() -> None:
    text = shown("ko")
    assert "장애 7: 2026년 12월 7일 22:05 (KST) – 2026년 12월 7일 22:07 (KST)" in text
    assert "인스턴스 3개에서 2개 구간 동안 로그인 실패 10건" in text
    lines = [line for line in text.splitlines() if "22:05–22:06 (KST)" in line or "22:06–22:07 (KST)" in line]
    assert len(lines) == 2 and "5" in lines[0] and "7" in lines[0] and "3" in lines[1]
    assert "합계" in text and "issuer_unavailable" in text


def test_the_report_in_english_on_request() -> None:
    text = shown("en")
    assert "outage 7: 7 Dec 2026, 22:05 (KST) – 7 Dec 2026, 22:07 (KST); 10 refused login(s) in 2 window(s) from " \
           "3 replica(s)" in text
    assert "total" in text
