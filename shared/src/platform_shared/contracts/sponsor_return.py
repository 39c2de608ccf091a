"""The sponsor landing's signed return (seed §5, AdGate): what the landing sends the entrant back with, and
how it signs it (HMAC-SHA256 with a secret the landing and the lottery share). A contract between the two
sides: the lottery's domain/sponsor_return.py checks it, the stand-in landing in deploy/ makes it. Pure."""

import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class SponsorReturn:
    campaign_id: str
    kakao_user_id: int
    visited_at: int
    """Unix seconds of the visit, as the landing stamped it."""
    utm_source: str
    utm_medium: str
    utm_campaign: str
    nonce: str
    """The landing's per-visit random value: two visits never sign the same text."""

    def signed_text(self) -> bytes:
        # Newline-separated fields (none may contain one; the API's field patterns make sure), in a fixed order.
        return "\n".join(("adgate-return-v1", self.campaign_id, str(self.kakao_user_id), str(self.visited_at),
                          self.utm_source, self.utm_medium, self.utm_campaign, self.nonce)).encode()


def sign(secret: bytes, visit: SponsorReturn) -> str:
    """What the sponsor landing computes (the stand-in in deploy/ does exactly this)."""
    return hmac.new(secret, visit.signed_text(), hashlib.sha256).hexdigest()
