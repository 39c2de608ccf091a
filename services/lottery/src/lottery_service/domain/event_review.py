"""Event review (seed §7.3, "이벤트 검수"), pure: an event's AdGate rule and weight settings must sit within
the policy's bounds. At creation an event out of bounds is refused; an event the policy later moved out
of bounds (a lower cap, a longer minimum cooldown) is flagged for review, and its entries are capped by the
policy meanwhile, never by the looser event value."""

from dataclasses import dataclass

from platform_shared.contracts.policy import PolicyDocument
from platform_shared.errors import InvalidInputError


@dataclass(frozen=True)
class EventSettings:
    campaign_id: str
    weight_cap: float | None
    """The event's own cap on an entry's weight; None runs on the policy's cap for the campaign."""
    cooldown_hours: float
    """How long an entrant waits between two bonuses of this event's weight rule."""
    requires_adgate: bool


@dataclass(frozen=True)
class Finding:
    field: str
    message: str


def review(event: EventSettings, policy: PolicyDocument) -> list[Finding]:
    """Every way the event leaves the policy's bounds; empty when it sits within them."""
    findings = []
    policy_cap = policy.weight_cap_for(event.campaign_id)
    if event.weight_cap is not None and event.weight_cap > policy_cap:
        findings.append(Finding("weight_cap", f"the event's weight cap {event.weight_cap:g} is above the "
                                              f"policy's cap {policy_cap:g} for this campaign"))
    bounds = policy.event_bounds
    if event.cooldown_hours < bounds.min_cooldown_hours:
        findings.append(Finding("cooldown_hours", f"the event's cooldown of {event.cooldown_hours:g} h is shorter "
                                                  f"than the policy's minimum of {bounds.min_cooldown_hours:g} h"))
    if bounds.adgate_required and not event.requires_adgate:
        findings.append(Finding("requires_adgate", "the policy asks every event to require a verified "
                                                   "sponsor visit (AdGate)"))
    return findings


def refuse_out_of_bounds(event: EventSettings, policy: PolicyDocument, policy_version: int) -> None:
    """At creation: an event outside the bounds is not created (the first finding names the field)."""
    findings = review(event, policy)
    if findings:
        raise InvalidInputError(f"{findings[0].message} (policy version {policy_version})", field=findings[0].field)


def entry_weight_cap(event: EventSettings, policy: PolicyDocument) -> float:
    """The cap an entry is stored under: the stricter of the event's own and the policy's for the campaign."""
    policy_cap = policy.weight_cap_for(event.campaign_id)
    return policy_cap if event.weight_cap is None else min(event.weight_cap, policy_cap)
