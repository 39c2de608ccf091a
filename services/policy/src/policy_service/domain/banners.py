"""Banners on entrant-facing pages (seed §1 "공지 배너", §5.2, §5.3, §13): the rules of a stored banner, and the
policy document's own banners in the one `Banner` shape. Pure."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from platform_shared.contracts.banners import BANNER_MAX_CHARS, Banner
from platform_shared.contracts.policy import PolicyDocument, is_campaign_id
from platform_shared.errors import DomainError
from platform_shared.time.clock import KST

PAST_GRACE = timedelta(minutes=1)
"""A start this far back is "now" typed slowly; further back it would rewrite what pages already showed."""
BYPASS_BANNER = "일시적으로 스폰서 방문 검증을 면제합니다"
"""Seed §5.3's words, the default of the AdGate bypass and exception banners."""


@dataclass(frozen=True)
class NewBanner:
    text: str
    text_en: str | None
    campaign_id: str | None
    starts_at: datetime
    ends_at: datetime | None
    reason: str


def checked_banner(text: str, text_en: str | None, campaign_id: str | None, starts_at: datetime | None,
                   ends_at: datetime | None, reason: str, now: datetime) -> NewBanner:
    """The banner as it will be stored, or the first field that is wrong (nothing is stored then)."""
    text, text_en = text.strip(), (text_en or "").strip() or None
    for field, value in (("text", text), ("text_en", text_en)):
        if field == "text" and not value:
            raise DomainError("a banner needs its Korean text", field="text")
        if value is not None and len(value) > BANNER_MAX_CHARS:
            raise DomainError(f"{field} is {len(value)} characters: a banner holds at most {BANNER_MAX_CHARS}",
                              field=field)
    if campaign_id is not None and not is_campaign_id(campaign_id):
        raise DomainError(f"not a campaign id: {campaign_id!r}", field="campaign_id")
    start = now if starts_at is None else starts_at
    if start.tzinfo is None:
        raise DomainError("starts_at needs its offset, e.g. +09:00", field="starts_at")
    if start < now - PAST_GRACE:
        raise DomainError("starts_at is in the past: a banner starts now or later", field="starts_at")
    if ends_at is not None and (ends_at.tzinfo is None or ends_at <= start):
        raise DomainError("ends_at must be after starts_at (with its offset)", field="ends_at")
    if not reason.strip():
        raise DomainError("say why the banner is shown", field="reason")
    return NewBanner(text, text_en, campaign_id, start, ends_at, reason.strip())


def in_force(starts_at: datetime, ends_at: datetime | None, now: datetime) -> bool:
    return starts_at <= now and (ends_at is None or now < ends_at)


def _line(text: str) -> str:
    return text if len(text) <= BANNER_MAX_CHARS else text[:BANNER_MAX_CHARS - 1] + "…"


def _kst_day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=KST)


def document_banners(document: PolicyDocument, *, version: int, set_by: str, reason: str, since: datetime,
                     campaign_id: str | None, now: datetime) -> list[Banner]:
    """The policy version's own banners in force at `now` (what `PolicyDocument.banners_for` shows, with who set
    them, since when and why): the general ones and the global bypass's for every campaign, an AdGate exception's
    within its KST-day period for its campaign (every campaign's when `campaign_id` is None)."""
    source, shown = f"policy:v{version}", []
    for text in document.banners:
        if text.strip():
            shown.append(Banner(kind="general", text=_line(text), starts_at=since, set_by=set_by, reason=reason,
                                source=source))
    if document.adgate_global_bypass and document.adgate_global_bypass_banner.strip():
        shown.append(Banner(kind="adgate_bypass", text=_line(document.adgate_global_bypass_banner), starts_at=since,
                            set_by=set_by, reason=reason, source=source))
    for exception in document.adgate_exceptions:
        starts, ends = _kst_day_start(exception.valid_from), _kst_day_start(exception.valid_until + timedelta(days=1))
        wanted = campaign_id is None or exception.campaign_id == campaign_id
        if wanted and exception.banner_text.strip() and in_force(starts, ends, now):
            shown.append(Banner(kind="adgate_exception", text=_line(exception.banner_text),
                                campaign_id=exception.campaign_id, starts_at=starts, ends_at=ends, set_by=set_by,
                                reason=exception.reason[:500], source=source))
    return shown
