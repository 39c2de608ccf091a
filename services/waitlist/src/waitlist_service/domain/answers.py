"""Who may answer an offer (SPEC §9), pure: its owner only. Either logged in with Kakao (the verified ID
token's `sub` is the offer's user), or holding the one-time signed link their notification carried
(platform_shared/auth/offer_links.py). Nobody names the owner in a request: a stranger who reads an offer
id could otherwise decline seats one by one and walk the waitlist down to an accomplice.

The refusal comes before anything is locked or changed: no answer, no promotion pass."""

from dataclasses import dataclass

from platform_shared.auth.offer_links import offer_link_is_signed
from platform_shared.errors import ForbiddenError
from waitlist_service.domain.seats import OfferView


@dataclass(frozen=True)
class Owner:
    """An entrant logged in with Kakao, as their verified token names them."""

    kakao_user_id: int


@dataclass(frozen=True)
class LinkHolder:
    """Whoever opened the signed link of a notification."""

    signature: str


Answerer = Owner | LinkHolder


@dataclass(frozen=True)
class LinkSecret:
    """The deployment's `OFFER_LINK_SECRET`, shared with the notifier only; never shown."""

    value: str

    def __repr__(self) -> str:
        return "LinkSecret(***)"


def refuse_unless_owner(offer: OfferView, answerer: Answerer, secret: LinkSecret | None) -> None:
    """Return quietly when `answerer` is the offer's owner; otherwise refuse (403) and name no one.
    Without a secret no link is valid."""
    if isinstance(answerer, Owner):
        # Offers keep the kakaoUserId as text; compare the text exactly rather than parse the stored value.
        if offer.user_id != str(answerer.kakao_user_id):
            raise ForbiddenError("this offer is someone else's: only its owner may answer it", field="offer_id")
    elif secret is None or not offer_link_is_signed(secret.value, offer.offer_id, offer.user_id, answerer.signature):
        raise ForbiddenError("this answer link is not valid for this offer", field="signature")
