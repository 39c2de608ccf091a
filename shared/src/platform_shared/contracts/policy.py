"""The one typed policy document (SPEC §6). Defaults are `policy_defaults`; bad values are refused
field by field by pydantic, so a broken policy can never be published."""

import re
from datetime import date, time
from typing import Annotated, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from platform_shared.contracts.banners import BANNER_MAX_CHARS

CAMPAIGN_ID_PATTERN = r"^[A-Za-z0-9_.:-]+$"
CampaignId = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=CAMPAIGN_ID_PATTERN)]


def is_campaign_id(value: str) -> bool:
    """What `CampaignId` accepts, for rules that check a value outside a model (an incident's or a banner's)."""
    return 0 < len(value) <= 100 and re.match(CAMPAIGN_ID_PATTERN, value) is not None


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a wall-clock time without an offset: the window's time_zone says where it is")
    return value


WALL_CLOCK_SCHEMA = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
                     "description": "a wall-clock time in `time_zone`, HH:MM[:SS]"}
LocalTime = Annotated[time, AfterValidator(_wall_clock), WithJsonSchema(WALL_CLOCK_SCHEMA)]
"""A time of day without an offset: JSON Schema's `format: time` (what pydantic would document) demands one,
and Schemathesis rightly refused "22:00:00" against it."""


class QuietHours(_Strict):
    start: LocalTime = time(22, 0)
    end: LocalTime = time(8, 0)
    time_zone: str = "Asia/Seoul"

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value


class RetryPolicy(_Strict):
    max_attempts: int = Field(default=5, ge=1, le=20)
    base_delay_seconds: float = Field(default=30.0, gt=0, le=3600)
    max_delay_seconds: float = Field(default=1800.0, gt=0, le=86400)
    jitter_ratio: float = Field(default=0.2, ge=0, le=1)

    @model_validator(mode="after")
    def _max_not_below_base(self) -> Self:
        if self.max_delay_seconds < self.base_delay_seconds:
            raise ValueError("max_delay_seconds must be >= base_delay_seconds")
        return self


class AdGateException(_Strict):
    campaign_id: CampaignId
    reason: str = Field(min_length=1)
    valid_from: date
    valid_until: date
    banner_text: str = ""

    @model_validator(mode="after")
    def _period_in_order(self) -> Self:
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until must not be before valid_from")
        return self


class CampaignPolicy(_Strict):
    """What a partial change (seed §8.1 "전면/부분") may set for named campaigns only; None keeps the
    platform's value."""

    weight_cap: float | None = Field(default=None, gt=0)


class WeightRule(_Strict):
    """How the server computes an entrant's weight (SPEC §9): the base, plus a bonus for each precondition
    the entrant met, capped by the event's cap (event_review.entry_weight_cap). An entrant who won a draw
    within the event's cooldown gets the base only: bonuses must not keep tilting the odds towards the same
    people (seed §7.3, "과도 편향 … 쿨다운")."""

    base: float = Field(default=1.0, gt=0, le=1000)
    intro_bonus: float = Field(default=0.0, ge=0, le=1000)
    """For viewing the campaign's Intro before entering (Intro-first)."""
    adgate_bonus: float = Field(default=0.0, ge=0, le=1000)
    """For a verified sponsor visit (AdGate)."""


class EventBounds(_Strict):
    """Seed §7.3 event review: how far an event's own settings may go. Its weight cap may not exceed the
    policy's cap for its campaign; these bound the rest."""

    min_cooldown_hours: float = Field(default=0.0, ge=0, le=24 * 366)
    """The shortest cooldown an event may set between two bonuses of one entrant."""
    adgate_required: bool = False
    """Whether every event must ask for a verified sponsor visit (AdGate)."""


class PolicyDocument(_Strict):
    weight_cap: float = Field(default=10.0, gt=0)
    response_timeout_hours: float = Field(default=24.0, gt=0, le=24 * 14)
    promotion_interval_minutes: int = Field(default=15, ge=1, le=24 * 60)
    quiet_hours: QuietHours = QuietHours()
    retry: RetryPolicy = RetryPolicy()
    release_rate_per_second: float = Field(default=50.0, gt=0)
    adgate_global_bypass: bool = False
    adgate_global_bypass_banner: str = ""
    adgate_exceptions: tuple[AdGateException, ...] = ()
    banners: tuple[str, ...] = ()
    event_bounds: EventBounds = EventBounds()
    weight_rule: WeightRule = WeightRule()
    kakao_outage_banner: str = Field(default="카카오 로그인 장애로 응모가 지연될 수 있습니다", max_length=500)
    """Shown with a 503 when entry waits on a Kakao outage (seed §9.2), and as the outage's banner."""
    kakao_retry_banner: str = Field(default="카카오 로그인이 복구되었습니다. 응모에 실패하셨다면 다시 시도해 주세요",
                                    min_length=1, max_length=BANNER_MAX_CHARS)
    """The banner after a Kakao outage ends, asking whoever failed to try again (seed §9.3)."""
    kakao_retry_banner_minutes: int = Field(default=120, ge=0, le=7 * 24 * 60)
    """How long the retry banner shows after the outage ends; 0: not at all."""
    campaigns: dict[CampaignId, CampaignPolicy] = {}
    """Per-campaign values set by partial changes; a campaign not named here runs on the platform's."""

    def banners_for(self, campaign_id: str | None, today_kst: date) -> list[str]:
        """What entrant-facing pages show now (seed §5): the general banners, the global bypass's, and the
        campaign's AdGate exception's while it is in force."""
        shown = list(self.banners)
        if self.adgate_global_bypass and self.adgate_global_bypass_banner:
            shown.append(self.adgate_global_bypass_banner)
        shown += [e.banner_text for e in self.adgate_exceptions
                  if e.campaign_id == campaign_id and e.banner_text and e.valid_from <= today_kst <= e.valid_until]
        return shown

    def weight_cap_for(self, campaign_id: str) -> float:
        scoped = self.campaigns.get(campaign_id)
        return scoped.weight_cap if scoped is not None and scoped.weight_cap is not None else self.weight_cap


def policy_defaults() -> PolicyDocument:
    return PolicyDocument()
