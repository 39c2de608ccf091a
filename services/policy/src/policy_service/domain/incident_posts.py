"""`#ops-incident` posts (seed §1 "장애 방송 채널"): what each incident step says on the channel, as
Slack-compatible incoming-webhook JSON in Korean (times in KST to the minute), and how a post that did not land
is retried. Pure."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from platform_shared.i18n import kst_minute
from policy_service.domain.incidents import STATUS_WORDS, level_of

PostKind = Literal["opened", "updated", "status", "first_response", "resolved"]
PostStatus = Literal["pending", "sent", "failed", "not_configured"]
KIND_WORDS: dict[str, str] = {"opened": "열림", "updated": "메모 추가", "status": "상태 변경",
                              "first_response": "초기 대응", "resolved": "해결됨"}
MAX_TEXT = 3000
"""Slack's limit on a section block's text."""


@dataclass(frozen=True)
class IncidentFacts:
    id: int
    sev: int
    title: str
    status: str
    campaigns: Sequence[str]
    features: Sequence[str]


def incident_post(kind: PostKind, incident: IncidentFacts, *, at: datetime, actor: str, detail: str = "",
                  checklist: bool = False) -> dict[str, Any]:
    """`[SEV2] 제목 — 열림 (2026년 12월 8일 10:00 (KST)) · 담당 admin`, then what it affects, the step's detail and
    (when the incident opens) the level's first-response checklist."""
    level = level_of(incident.sev)
    headline = (f"[SEV{incident.sev}] {incident.title} — {KIND_WORDS[kind]} ({kst_minute(at)}) · 담당 {actor}")
    lines = [f"*등급*: SEV{incident.sev} {level.name} · *상태*: {STATUS_WORDS[incident.status][0]}",  # type: ignore[index]
             f"*영향 캠페인*: {', '.join(incident.campaigns) or '전체'}",
             f"*영향 기능*: {', '.join(incident.features) or '미지정'}"]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": headline[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}},
    ]
    if detail:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": detail[:MAX_TEXT]}})
    if checklist:
        steps = "\n".join(f"☐ {step.ko}" for step in level.checklist)
        blocks.append({"type": "section", "text": {"type": "mrkdwn",
                                                   "text": f"*초기 대응({level.first_response_name})*\n{steps}"}})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"incident #{incident.id}"}]})
    text = headline if not detail else f"{headline}\n{detail}"
    return {"text": text[:MAX_TEXT], "blocks": blocks}


@dataclass(frozen=True)
class Retry:
    """How a post that did not land is tried again: doubling waits from `base`, then `failed` after `attempts`."""

    base: timedelta
    attempts: int
    cap: timedelta = timedelta(minutes=5)

    def after_failure(self, attempts_made: int, now: datetime) -> tuple[PostStatus, datetime | None]:
        """The post's state after its `attempts_made`-th attempt failed: tried again later, or failed for good."""
        if attempts_made >= self.attempts:
            return "failed", None
        return "pending", now + min(self.base * 2 ** (attempts_made - 1), self.cap)
