"""An entrant's own entry (SPEC §9), pure: the preconditions it needs and the weight the server gives it.
The entrant never chooses either: the weight comes from the policy's weight rule, the preconditions from
what the server recorded (the Intro view, a verified sponsor visit) and the policy's AdGate exemptions."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from platform_shared.contracts.policy import WeightRule
from platform_shared.errors import InvalidStateError


@dataclass(frozen=True)
class Progress:
    """What the server recorded for one entrant in one campaign before the entry."""

    intro_seen: bool
    adgate_verified: bool


def refuse_unmet_preconditions(*, requires_intro: bool, requires_adgate: bool, progress: Progress,
                               adgate_exemption: str | None) -> None:
    """Seed §3.1, §5: Intro first, then the sponsor visit (unless an AdGate exemption is in force)."""
    if requires_intro and not progress.intro_seen:
        raise InvalidStateError("view the campaign's intro first (GET /campaigns/{campaign_id}/intro)",
                                field="intro")
    if requires_adgate and not progress.adgate_verified and adgate_exemption is None:
        raise InvalidStateError("visit the sponsor first: this campaign needs a verified sponsor visit (AdGate)",
                                field="adgate")


@dataclass(frozen=True)
class Weight:
    raw: float
    """Base plus the bonuses earned (kept with the entry for a later approved recalculation)."""
    cap: float
    """The cap in force for the event; intake stores min(raw, cap) (domain/intake.py)."""


def in_cooldown(last_win_at: datetime | None, cooldown_hours: float, now: datetime) -> bool:
    """A winner of a draw held within the event's cooldown before now enters again without the bonuses."""
    return cooldown_hours > 0 and last_win_at is not None and last_win_at >= now - timedelta(hours=cooldown_hours)


def entrant_weight(rule: WeightRule, progress: Progress, *, cap: float, in_cooldown: bool) -> Weight:
    """Base, plus a bonus per precondition met; base only for a recent winner (the event's cooldown)."""
    raw = rule.base
    if not in_cooldown:
        raw += (rule.intro_bonus if progress.intro_seen else 0.0) + \
               (rule.adgate_bonus if progress.adgate_verified else 0.0)
    return Weight(raw=raw, cap=cap)
