"""Banners on entrant-facing pages (seed §1 "외부 알림: 공지 배너", §5.3, §9.2, §9.3, §13): one shape for every
banner in force, whatever set it, read by the entrant app from one public endpoint. Pure.

Each banner says where it comes from (`kind`), when it shows (start, and an end or None for "until withdrawn"),
who set it and why, so a page, the console and the audit tell the same story."""

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

BANNER_MAX_CHARS = 200
"""One line on a phone (seed §5.3's text is 24 characters): longer text belongs in a notice (§14)."""

BannerKind = Literal["incident", "general", "adgate_bypass", "adgate_exception", "kakao_outage", "kakao_retry"]
"""incident: set with an incident (§13 first response); general: set by hand; adgate_*: a §5.2/§5.3 policy switch
while in force; kakao_outage: during a Kakao login outage (§9.2); kakao_retry: after it, for a while (§9.3)."""

SYSTEM = "system"
"""`set_by` of a banner nobody set by hand (a Kakao outage seen by the services)."""


class Banner(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: BannerKind
    text: str = Field(min_length=1, max_length=BANNER_MAX_CHARS, description="Korean, as entrants read it")
    text_en: str | None = Field(default=None, min_length=1, max_length=BANNER_MAX_CHARS)
    campaign_id: str | None = Field(default=None, min_length=1, max_length=100,
                                    description="None: on every campaign's pages")
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = Field(default=None, description="None: until withdrawn or resolved")
    set_by: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=1, max_length=500)
    source: str | None = Field(default=None, max_length=100,
                               description="What it belongs to: an incident id, a policy version, an outage id")

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> "Banner":
        if self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self
