"""AdGate emergency stop as the policy states it (seed §5): the banners the public edge shows, and which
exemptions a change switches off (each leaves entries admitted without a sponsor visit to review). Pure."""

from dataclasses import dataclass
from datetime import date

from platform_shared.contracts.policy import PolicyDocument

GLOBAL = "*"


@dataclass(frozen=True)
class SwitchedOff:
    campaign_id: str
    """A campaign, or `*` for the global bypass."""
    reason: str


def banners_for(policy: PolicyDocument, campaign_id: str | None, today_kst: date) -> list[str]:
    """What the entrant-facing pages show now: the general banners, the global bypass's, and the
    campaign's exception's while it is in force."""
    shown = list(policy.banners)
    if policy.adgate_global_bypass and policy.adgate_global_bypass_banner:
        shown.append(policy.adgate_global_bypass_banner)
    shown += [e.banner_text for e in policy.adgate_exceptions
              if e.campaign_id == campaign_id and e.banner_text and e.valid_from <= today_kst <= e.valid_until]
    return shown


def switched_off(before: PolicyDocument, after: PolicyDocument) -> list[SwitchedOff]:
    """Exemptions in force before and not after: a campaign exception removed, or the global bypass ended."""
    ended = [SwitchedOff(GLOBAL, "AdGate global bypass")] if before.adgate_global_bypass and \
        not after.adgate_global_bypass else []
    kept = set(after.adgate_exceptions)
    ended += [SwitchedOff(e.campaign_id, e.reason) for e in before.adgate_exceptions if e not in kept]
    return ended
