"""AdGate emergency stop as the policy states it (seed §5): which exemptions a change switches off (each
leaves entries admitted without a sponsor visit to review). Pure. The banners it shows are the policy
document's own (`PolicyDocument.banners_for`), read by the policy service and the lottery alike."""

from dataclasses import dataclass

from platform_shared.contracts.policy import PolicyDocument

GLOBAL = "*"


@dataclass(frozen=True)
class SwitchedOff:
    campaign_id: str
    """A campaign, or `*` for the global bypass."""
    reason: str


def switched_off(before: PolicyDocument, after: PolicyDocument) -> list[SwitchedOff]:
    """Exemptions in force before and not after: a campaign exception removed, or the global bypass ended."""
    ended = [SwitchedOff(GLOBAL, "AdGate global bypass")] if before.adgate_global_bypass and \
        not after.adgate_global_bypass else []
    kept = set(after.adgate_exceptions)
    ended += [SwitchedOff(e.campaign_id, e.reason) for e in before.adgate_exceptions if e not in kept]
    return ended
