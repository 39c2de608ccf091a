"""One-time answer links (SPEC §9: an offer is answered only by its owner — with their Kakao login, or with
the signed link their notification carries, for an answer from an SMS or Kakao message).

The link is derived, never carried: an HMAC-SHA256 over `offer_id:user_id` with a secret only the waitlist
and the notifier hold (`OFFER_LINK_SECRET`). Events, logs and dead letters carry the offer id and the user
(SPEC §7: no token or secret in them); the notifier computes the link when it renders the message and
stores it nowhere, and the waitlist recomputes it to check an answer. What makes the link one-time and
expiring is the offer's state, not the link: it answers only while the offer is open and before its
deadline, so once answered, expired or void it is dead. Pure: the standard library only."""

import base64
import hashlib
import hmac
from uuid import UUID

LINK_PATH = "{offer_id}/link"
"""Where a link points, under the public base URL of the waitlist's offers (e.g. https://…/offers)."""


def offer_link_signature(secret: str, offer_id: UUID, user_id: str) -> str:
    """The signature of one person's offer: 43 URL-safe characters (short enough for an SMS)."""
    digest = hmac.new(secret.encode(), f"{offer_id}:{user_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def offer_link_is_signed(secret: str, offer_id: UUID, user_id: str, signature: str) -> bool:
    """Whether `signature` is this offer's, for this person, under this secret (in constant time)."""
    expected = offer_link_signature(secret, offer_id, user_id)
    return hmac.compare_digest(expected.encode(), signature.encode())


def offer_link(base_url: str, secret: str, offer_id: UUID, user_id: str) -> str:
    """The link a notification carries: the waitlist's read-only page of the offer, signed; the answer
    itself is a POST with the same signature (a GET never changes state)."""
    path = LINK_PATH.format(offer_id=offer_id)
    return f"{base_url.rstrip('/')}/{path}?sig={offer_link_signature(secret, offer_id, user_id)}"
