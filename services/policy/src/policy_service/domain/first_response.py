"""An incident's first response where the system has the lever (seed §13 "초기 대응"): SEV1 a banner and, if
asked, the global AdGate bypass as detour (§5.2); SEV2 the AdGate exception flag of each affected campaign with
its reason, period and banner (§5.3); SEV3 the notification queue check, recorded with its figures (§6.1).
Pure: what confirming will do, shown before it is done."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from platform_shared.contracts.policy import AdGateException, PolicyDocument
from platform_shared.errors import DomainError
from policy_service.domain.banners import BYPASS_BANNER
from policy_service.domain.incidents import Level


@dataclass(frozen=True)
class Ask:
    reason: str
    banner_text: str | None = None
    banner_text_en: str | None = None
    detour: bool = False
    valid_from: date | None = None
    valid_until: date | None = None
    queue_check: dict[str, Any] | None = None


@dataclass(frozen=True)
class Plan:
    actions: list[str]
    """What confirming does, one line each, in Korean."""
    banner: dict[str, Any] | None = None
    """SEV1: the incident banner's text and text_en."""
    document: PolicyDocument | None = None
    """The policy after it, when it changes the policy (a new version)."""
    evidence: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def plan(level: Level, campaigns: list[str], document: PolicyDocument, ask: Ask, today_kst: date) -> Plan:
    if level.first_response == "banner_and_detour":
        return _banner_and_detour(level, document, ask)
    if level.first_response == "adgate_exception":
        return _exceptions(level, campaigns, document, ask, today_kst)
    return _queue_check(ask)


def _banner_and_detour(level: Level, document: PolicyDocument, ask: Ask) -> Plan:
    text = (ask.banner_text or "").strip() or level.default_banner
    text_en = (ask.banner_text_en or "").strip() or (level.default_banner_en if not ask.banner_text else None)
    actions = [f"장애 배너 게시: “{text}”"]
    after = None
    if ask.detour:
        if document.adgate_global_bypass:
            raise DomainError("the global AdGate bypass is already on", field="detour")
        after = document.model_copy(update={"adgate_global_bypass": True,
                                            "adgate_global_bypass_banner": BYPASS_BANNER})
        actions.append(f"우회: AdGate 전역 Bypass 모드 ON(seed §5.2), 배너 “{BYPASS_BANNER}” — 새 정책 버전")
    return Plan(actions, banner={"text": text, "text_en": text_en}, document=after)


def _exceptions(level: Level, campaigns: list[str], document: PolicyDocument, ask: Ask, today: date) -> Plan:
    if not campaigns:
        raise DomainError("a SEV2 exception flag is per campaign: open the incident with its affected campaigns",
                          field="campaigns")
    start = ask.valid_from or today
    until = ask.valid_until or start
    if until < start:
        raise DomainError("valid_until must not be before valid_from", field="valid_until")
    if until < today:
        raise DomainError("the exception's period is over already", field="valid_until")
    text = (ask.banner_text or "").strip() or level.default_banner
    new = [AdGateException(campaign_id=c, reason=ask.reason, valid_from=start, valid_until=until, banner_text=text)
           for c in campaigns]
    kept = tuple(e for e in document.adgate_exceptions if e.campaign_id not in campaigns)
    after = document.model_copy(update={"adgate_exceptions": kept + tuple(new)})
    actions = [f"AdGate 예외 플래그 ON: {c} ({start.isoformat()} ~ {until.isoformat()} KST), 사유 “{ask.reason}”"
               for c in campaigns]
    actions.append(f"배너 “{text}” (각 캠페인) — 새 정책 버전, 이전 버전이 롤백 지점")
    return Plan(actions, document=PolicyDocument.model_validate(after.model_dump(mode="json")))


def _queue_check(ask: Ask) -> Plan:
    if not ask.queue_check:
        raise DomainError("a SEV3 queue check records the notification dashboard's figures: give them",
                          field="queue_check")
    figures = ", ".join(f"{k}={v}" for k, v in sorted(ask.queue_check.get("counts", ask.queue_check).items())
                        if not isinstance(v, dict | list))
    return Plan([f"알림 큐 점검 기록(seed §6.1): {figures}"[:500]], evidence=ask.queue_check)
