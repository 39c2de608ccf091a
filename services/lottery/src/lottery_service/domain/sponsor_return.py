"""AdGate (seed §5): checking the proof of a sponsor visit, pure. The sponsor landing sends the entrant back
with the campaign, the user, the time of the visit and the UTM parameters, signed (contracts/
sponsor_return.py). The lottery admits the proof only for the logged-in entrant and the campaign it names,
only shortly after the visit, and only once (the store keeps what was used)."""

import hashlib
import hmac
from datetime import datetime, timedelta
from enum import StrEnum

from platform_shared.contracts.sponsor_return import SponsorReturn, sign


class VerifyFailure(StrEnum):
    """Why a sponsor return was refused; counted as `adgate_verify_fail` by reason (seed §5.3)."""

    BAD_SIGNATURE = "bad_signature"
    OTHER_USER = "other_user"
    OTHER_CAMPAIGN = "other_campaign"
    EXPIRED = "expired"
    FROM_THE_FUTURE = "from_the_future"
    REPLAYED = "replayed"


def check(secret: bytes, visit: SponsorReturn, signature: str, *, entrant: int, campaign_id: str, now: datetime,
          validity: timedelta, leeway: timedelta = timedelta(seconds=30)) -> VerifyFailure | None:
    """None when the proof holds for this entrant and campaign now; else why not (the first that fails)."""
    if not hmac.compare_digest(sign(secret, visit), signature):
        return VerifyFailure.BAD_SIGNATURE
    if visit.kakao_user_id != entrant:
        return VerifyFailure.OTHER_USER
    if visit.campaign_id != campaign_id:
        return VerifyFailure.OTHER_CAMPAIGN
    age = now.timestamp() - visit.visited_at
    if age < -leeway.total_seconds():
        return VerifyFailure.FROM_THE_FUTURE
    if age > validity.total_seconds():
        return VerifyFailure.EXPIRED
    return None


def proof_id(signature: str) -> str:
    """What the store keeps to refuse a second use (a digest: the signature itself is a credential)."""
    return hashlib.sha256(signature.encode()).hexdigest()
