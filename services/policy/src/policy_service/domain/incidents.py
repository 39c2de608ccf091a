"""Incidents as the runbook classifies them (seed §13): the SEV table as data, the features an incident can
affect, and the only ways its status moves. Pure: what is allowed, refused field by field (seed §1, §13)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from platform_shared.contracts.policy import is_campaign_id
from platform_shared.errors import DomainError, InvalidStateError

FirstResponse = Literal["banner_and_detour", "adgate_exception", "queue_check"]
Status = Literal["open", "mitigated", "resolved"]
STATUSES: tuple[Status, ...] = get_args(Status)
Feature = Literal["login", "entry", "adgate", "draw", "waitlist", "notifications", "console", "intro", "other"]
FEATURES: tuple[Feature, ...] = get_args(Feature)
TITLE_MAX, SUMMARY_MAX, NOTE_MAX = 200, 4000, 4000


@dataclass(frozen=True)
class Step:
    ko: str
    en: str


@dataclass(frozen=True)
class Level:
    """One row of the seed §13 table, in Korean with English alongside."""

    sev: int
    name: str
    name_en: str
    definition: str
    definition_en: str
    examples: tuple[str, ...]
    examples_en: tuple[str, ...]
    first_response: FirstResponse
    first_response_name: str
    first_response_name_en: str
    checklist: tuple[Step, ...]
    default_banner: str
    default_banner_en: str


LEVELS: dict[int, Level] = {level.sev: level for level in (
    Level(1, "전면 중단", "Full outage", "서비스 전체 또는 핵심 흐름을 쓸 수 없음",
          "The service or its core flow cannot be used", ("로그인 불가", "응모 불가"),
          ("Nobody can log in", "Nobody can enter"), "banner_and_detour", "배너+우회", "Banner + detour", (
              Step("#ops-incident에 SEV1 방송", "Broadcast SEV1 on #ops-incident"),
              Step("공지 배너 노출(장애 안내)", "Show the incident banner"),
              Step("우회: 필요하면 AdGate 전역 Bypass 모드 ON(seed §5.2)",
                   "Detour: if needed, the global AdGate bypass (seed §5.2)"),
              Step("영향 범위 파악(캠페인/기능)", "Establish the affected campaigns and features"),
              Step("복구 후 장애 공지(INCIDENT_NOTICE, seed §14.1)", "After recovery, the incident notice (§14.1)")),
          "서비스 장애로 로그인·응모가 원활하지 않습니다. 복구 중입니다",
          "An outage is affecting log-in and entries. We are restoring service"),
    Level(2, "주요 기능 저하", "Major degradation", "주요 기능 하나가 크게 저하됨",
          "One major feature is badly degraded", ("AdGate 대량 실패",), ("AdGate verifications failing en masse",),
          "adgate_exception", "예외 플래그", "Exception flag", (
              Step("#ops-incident에 SEV2 방송", "Broadcast SEV2 on #ops-incident"),
              Step("해당 캠페인 AdGate 예외 플래그 ON(seed §5.3)", "AdGate exception flag on for each campaign (§5.3)"),
              Step("예외 사유/기간 기록", "Record the exception's reason and period"),
              Step("공지 배너: “일시적으로 스폰서 방문 검증을 면제합니다”", "Banner: the sponsor visit is waived"),
              Step("adgate_verify_fail 추이 모니터", "Watch the adgate_verify_fail trend")),
          "일시적으로 스폰서 방문 검증을 면제합니다", "The sponsor visit check is waived for now"),
    Level(3, "일부 오류/지연", "Partial errors or delays", "일부 기능의 오류나 지연",
          "Errors or delays in part of a feature", ("알림 실패 상승",), ("Notification failures rising",),
          "queue_check", "큐 점검", "Queue check", (
              Step("#ops-incident에 SEV3 방송", "Broadcast SEV3 on #ops-incident"),
              Step("알림 큐 상태 점검: 대기/성공/실패/재시도(seed §6.1)",
                   "Check the notification queue: queued/sent/failed/retrying (§6.1)"),
              Step("실패 Top reason 확인", "Read the top failure reasons"),
              Step("발송 벤더 상태 점검(seed §6.3)", "Check the messaging vendor (§6.3)")),
          "일부 기능이 지연되고 있습니다. 확인 중입니다", "Some features are delayed. We are looking into it"),
)}

# Resolved is final; mitigated may be skipped; no going back (seed §13).
NEXT: dict[Status, tuple[Status, ...]] = {"open": ("mitigated", "resolved"), "mitigated": ("resolved",),
                                          "resolved": ()}
STATUS_WORDS: dict[Status, tuple[str, str]] = {"open": ("열림", "open"), "mitigated": ("완화됨", "mitigated"),
                                               "resolved": ("해결됨", "resolved")}


def level_of(sev: int) -> Level:
    if sev not in LEVELS:
        raise DomainError(f"unknown SEV {sev}: the runbook's levels are 1, 2 and 3 (seed §13)", field="sev")
    return LEVELS[sev]


def next_status(current: str, wanted: str) -> Status:
    if wanted not in STATUSES:
        raise DomainError(f"unknown status {wanted!r}: mitigated or resolved", field="status")
    allowed: tuple[str, ...] = NEXT.get(current, ())  # type: ignore[call-overload]
    if wanted not in allowed:
        raise InvalidStateError(f"an incident that is {current} cannot become {wanted} "
                                "(open → mitigated → resolved; resolved is final)", field="status")
    return next(status for status in STATUSES if status == wanted)


@dataclass(frozen=True)
class NewIncident:
    sev: int
    title: str
    summary: str
    campaigns: tuple[str, ...]
    features: tuple[str, ...]


def checked_incident(sev: int, title: str, summary: str, campaigns: Sequence[str],
                     features: Sequence[str]) -> NewIncident:
    """The incident as it will be stored, or the first field that is wrong."""
    level_of(sev)
    title = title.strip()
    if not title:
        raise DomainError("an incident needs a title", field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(f"the title is over {TITLE_MAX} characters", field="title")
    if len(summary) > SUMMARY_MAX:
        raise DomainError(f"the summary is over {SUMMARY_MAX} characters", field="summary")
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise DomainError(f"unknown feature {unknown[0]!r}: one of {', '.join(FEATURES)}", field="features")
    bad = [c for c in campaigns if not is_campaign_id(c)]
    if bad:
        raise DomainError(f"not a campaign id: {bad[0]!r}", field="campaigns")
    return NewIncident(sev, title, summary.strip(), tuple(dict.fromkeys(campaigns)), tuple(dict.fromkeys(features)))


def checked_note(text: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError("a note needs text", field="text")
    if len(text) > NOTE_MAX:
        raise DomainError(f"the note is over {NOTE_MAX} characters", field="text")
    return text
