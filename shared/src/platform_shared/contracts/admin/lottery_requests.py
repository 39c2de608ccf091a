"""What the lottery's admin routes take: a draw, a seat correction, entries, a suspicious flag. Unknown
fields are refused."""

from typing import Annotated

from pydantic import AwareDatetime, Field

from platform_shared.contracts.admin.models import Reason, StrictModel
from platform_shared.contracts.policy import CAMPAIGN_ID_PATTERN

KakaoUserId = Annotated[int, Field(ge=1, lt=2**63)]


class DrawIn(StrictModel):
    campaign_id: str = Field(min_length=1, max_length=100, pattern=CAMPAIGN_ID_PATTERN)
    display_name: str | None = Field(default=None, min_length=1, max_length=200,
                                     description="What entrants read (messages name it); default: the campaign id")
    seats: int = Field(ge=1, le=1_000_000)
    waitlist_size: int = Field(ge=0, le=1_000_000)
    draw_at: AwareDatetime
    requires_intro: bool = False
    requires_adgate: bool = False
    weight_cap: float | None = Field(default=None, gt=0, le=1e9, allow_inf_nan=False,
                                     description="The event's own cap, within the policy's; default: the policy's")
    cooldown_hours: float = Field(default=0.0, ge=0, le=24 * 366, allow_inf_nan=False,
                                  description="A winner of a draw within it enters with the base weight only; "
                                              "at least the policy's minimum")
    intro: str = Field(default="", max_length=10_000, description="What entrants read before entering")


class PlacesIn(StrictModel):
    """A seat or waitlist size correction (seed §3.5 "wrong seat count"): the seed stays, only the cut moves."""

    seats: int = Field(ge=1, le=1_000_000)
    waitlist_size: int = Field(ge=0, le=1_000_000)
    reason: Reason


class EntryIn(StrictModel):
    kakao_user_id: KakaoUserId
    weight: float = Field(gt=0, le=1e9, allow_inf_nan=False)
    intro_seen: bool = False
    adgate_verified: bool = False
    suspicious: bool = False


class EntriesIn(StrictModel):
    entries: list[EntryIn] = Field(min_length=1, max_length=100_000)


class SuspiciousIn(StrictModel):
    suspicious: bool
    reason: Reason


class PrepareRunIn(StrictModel):
    """Step one of a run (seed §3.3). Before the draw's `draw_at` it is refused unless `early_reason` says why
    it must run early (seed §3.1's override); the reason is bound to the token and kept in the audit log."""

    early_reason: Reason | None = None
