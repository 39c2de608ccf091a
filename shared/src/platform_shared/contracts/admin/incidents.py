"""What the policy service's incident and banner routes take and answer (seed §1, §5, §13): the SEV table, an
incident with its timeline, banners and `#ops-incident` posts, its first response in two steps, and the
banners stored by hand."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, Field

from platform_shared.contracts.admin.models import ConfirmationToken, IsoMoment, Reason, ResponseModel, StrictModel
from platform_shared.contracts.banners import BANNER_MAX_CHARS, Banner
from platform_shared.contracts.policy import CampaignId

IncidentStatus = Literal["open", "mitigated", "resolved"]
StepKind = Literal["note", "notice_asked", "alert_linked"]


class StepOut(ResponseModel):
    ko: str
    en: str


class LevelOut(ResponseModel):
    """One row of the seed §13 table."""

    sev: int
    name: str
    name_en: str
    definition: str
    definition_en: str
    examples: list[str]
    examples_en: list[str]
    first_response: str
    """banner_and_detour (SEV1) | adgate_exception (SEV2) | queue_check (SEV3)"""
    first_response_name: str
    first_response_name_en: str
    checklist: list[StepOut]
    default_banner: str
    default_banner_en: str


class IncidentIn(StrictModel):
    sev: int = Field(description="1 전면 중단, 2 주요 기능 저하, 3 일부 오류/지연 (seed §13)")
    title: str = Field(max_length=200)
    summary: str = Field(default="", max_length=4000)
    campaigns: list[CampaignId] = Field(default_factory=list, max_length=100)
    features: list[str] = Field(default_factory=list, max_length=20,
                                description="login, entry, adgate, draw, waitlist, notifications, console, intro, "
                                            "other")


class NoteIn(StrictModel):
    text: str = Field(min_length=1, max_length=4000)
    kind: StepKind = "note"
    evidence: dict[str, Any] | None = None
    """Figures or ids the note rests on (an alert's labels, a notice's id)."""


class StatusIn(StrictModel):
    status: Literal["mitigated", "resolved"]
    note: Reason


class IncidentOut(ResponseModel):
    id: int
    sev: int
    title: str
    summary: str
    status: IncidentStatus
    campaigns: list[str]
    features: list[str]
    opened_by: str
    opened_at: datetime
    mitigated_at: datetime | None
    resolved_at: datetime | None
    first_response_at: datetime | None


class IncidentPageOut(ResponseModel):
    total: int
    rows: list[IncidentOut]
    """Newest first."""


class TimelineEntryOut(ResponseModel):
    kind: str
    at: datetime
    actor: str
    text: str
    evidence: dict[str, Any]


class StoredBannerOut(ResponseModel):
    id: int
    kind: Literal["incident", "general"]
    text: str
    text_en: str | None
    campaign_id: str | None
    starts_at: datetime
    ends_at: datetime | None
    set_by: str
    reason: str
    incident_id: int | None
    created_at: datetime
    ended_at: datetime | None
    ended_by: str | None


class PostOut(ResponseModel):
    id: int
    kind: str
    status: Literal["pending", "sent", "failed", "not_configured"]
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str | None
    text: str


class IncidentDetailOut(IncidentOut):
    timeline: list[TimelineEntryOut]
    banners: list[StoredBannerOut]
    posts: list[PostOut]
    """Each `#ops-incident` post and whether it landed."""


class FirstResponseIn(StrictModel):
    reason: Reason
    banner_text: str | None = Field(default=None, max_length=BANNER_MAX_CHARS)
    """SEV1: the incident banner (default: the level's); SEV2: each exception's banner (default seed §5.3's)."""
    banner_text_en: str | None = Field(default=None, max_length=BANNER_MAX_CHARS)
    detour: bool = False
    """SEV1: also the global AdGate bypass (seed §5.2), as a policy change with its banner."""
    valid_from: date | None = None
    """SEV2: the exception's first KST day (default today)."""
    valid_until: date | None = None
    """SEV2: its last KST day (default: valid_from)."""
    queue_check: dict[str, Any] | None = None
    """SEV3: the notifier dashboard's figures, read by the caller (seed §6.1)."""


class FirstResponsePreparedOut(ResponseModel):
    incident_id: int
    sev: int
    first_response: str
    actions: list[str]
    """What confirming does, one line each, in Korean."""
    banner: dict[str, Any] | None
    policy_changes: list[dict[str, Any]]
    """The policy fields it changes (a new version), empty if none."""
    proposed_against: int | None
    evidence: dict[str, Any] | None
    reason: str
    token: ConfirmationToken
    expires_at: IsoMoment


class FirstResponseDoneOut(ResponseModel):
    incident_id: int
    first_response: str
    banner_id: int | None
    policy_version: int | None
    """The new policy version (a rollback point: the one before it)."""
    repeated: bool


class ResolvedOut(IncidentOut):
    banners_ended: list[int]
    adgate_still_exempt: list[str]
    """Campaigns (or `*`) whose AdGate exemption is still in the policy: switch it off with a policy change
    when the cause is fixed (seed §5.4)."""


class BannerIn(StrictModel):
    text: str = Field(min_length=1, max_length=BANNER_MAX_CHARS)
    text_en: str | None = Field(default=None, max_length=BANNER_MAX_CHARS)
    campaign_id: CampaignId | None = None
    starts_at: AwareDatetime | None = None
    """Default: now."""
    ends_at: AwareDatetime | None = None
    """None: until ended."""
    reason: Reason
    incident_id: int | None = Field(default=None, ge=1)
    """An incident's banner (kind incident), ended when it is resolved."""


class BannerEndIn(StrictModel):
    reason: Reason


class StoredBannerPageOut(ResponseModel):
    total: int
    rows: list[StoredBannerOut]


class BannersInForceOut(ResponseModel):
    banners: list[Banner]
