"""AdGate exemptions (seed §5, the emergency stop), pure: when entries may skip the sponsor visit."""

from datetime import date

from platform_shared.contracts.policy import PolicyDocument


def adgate_exemption(policy: PolicyDocument, campaign_id: str, today_kst: date) -> str | None:
    """Why entries may skip the sponsor visit today, or None."""
    if policy.adgate_global_bypass:
        return "AdGate global bypass"
    for exception in policy.adgate_exceptions:
        if exception.campaign_id == campaign_id and exception.valid_from <= today_kst <= exception.valid_until:
            return f"AdGate exception: {exception.reason}"
    return None
