"""Notices to users (seed §1 `INCIDENT_NOTICE`, §14): the channels a notification can go by and what each notice
template must say. Pure: the notifier refuses a template that lacks any of it when saved, and a notice request
that lacks a parameter is refused before anything is queued.

§14.1 장애 공지: 제목 `[안내] 시스템 점검/장애 안내 (KST 시각)`, 본문 영향 기능, 기간, 조치, 재시도 안내.
§14.2 추첨 결과 정정: 제목 `[중요] 추첨 결과 정정 안내`, 본문 정정 사유, 되돌리기 조치, 이용자 권리/보상."""

from typing import Literal

Channel = Literal["message", "email"]
"""message: the messaging vendor (Kakao AlimTalk, SMS as its fallback); email: SMTP to the person's address."""

DEFAULT_CHANNEL: Channel = "message"

NOTICE_PARAMS: dict[str, tuple[str, ...]] = {
    "INCIDENT_NOTICE": ("notice_time", "affected", "period", "action", "retry"),
    "DRAW_ROLLBACK_NOTICE": ("campaign_name", "reason", "rolled_back_at"),
}
"""The placeholders each notice template must use (as `${name}`) and each request must give. INCIDENT_NOTICE:
the notice's KST time in the title, then 영향 기능, 기간, 조치, 재시도 안내. DRAW_ROLLBACK_NOTICE: 정정 사유 and
when the earlier result was undone; its rights text is the template's own words."""

NOTICE_HEADINGS: dict[tuple[str, str], tuple[str, ...]] = {
    ("INCIDENT_NOTICE", "ko"): ("[안내] 시스템 점검/장애 안내", "영향 기능", "기간", "조치", "재시도 안내"),
    ("INCIDENT_NOTICE", "en"): ("[Notice]", "Affected", "Period", "What we did", "Retry"),
    ("DRAW_ROLLBACK_NOTICE", "ko"): ("[중요] 추첨 결과 정정 안내", "정정 사유", "되돌리기 조치", "이용자 권리"),
    ("DRAW_ROLLBACK_NOTICE", "en"): ("[Important] Draw result correction", "Reason", "What we did",
                                     "Your rights"),
}
"""The words each notice's text must contain, per locale (§14): the title and every section's heading."""
