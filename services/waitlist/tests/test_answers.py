"""Who may answer an offer (SPEC §9), without infrastructure: its owner, by their Kakao login or by the
signed link of their notification; anyone else is refused."""

from datetime import datetime
from uuid import uuid4

import pytest

from platform_shared.auth.offer_links import offer_link_signature
from platform_shared.errors import ForbiddenError
from platform_shared.time.clock import KST
from waitlist_service.domain.answers import LinkHolder, LinkSecret, Owner, refuse_unless_owner
from waitlist_service.domain.seats import OfferStatus, OfferView

SECRET = LinkSecret("k" * 64)
OFFER = OfferView(uuid4(), "1000004", 4, OfferStatus.OFFERED, datetime(2026, 12, 2, 12, 0, tzinfo=KST),
                  delivered=True)


def test_the_owner_logged_in_with_kakao_may_answer() -> None:
    refuse_unless_owner(OFFER, Owner(1_000_004), SECRET)


@pytest.mark.parametrize("stranger", [1_000_005, 4, 10_000_004])
def test_anyone_else_logged_in_is_refused_without_being_told_whose_it_is(stranger: int) -> None:
    with pytest.raises(ForbiddenError) as refused:
        refuse_unless_owner(OFFER, Owner(stranger), SECRET)
    assert OFFER.user_id not in refused.value.message


def test_the_stored_id_is_compared_as_text_not_parsed() -> None:
    padded = OfferView(OFFER.offer_id, "01000004", 4, OfferStatus.OFFERED, OFFER.respond_by, delivered=True)
    with pytest.raises(ForbiddenError):
        refuse_unless_owner(padded, Owner(1_000_004), SECRET)


def test_the_holder_of_the_offers_signed_link_may_answer() -> None:
    refuse_unless_owner(OFFER, LinkHolder(offer_link_signature(SECRET.value, OFFER.offer_id, OFFER.user_id)), SECRET)


@pytest.mark.parametrize("signature", [
    offer_link_signature(SECRET.value, uuid4(), OFFER.user_id),  # another offer's link
    offer_link_signature(SECRET.value, OFFER.offer_id, "1000005"),  # signed for someone else
    offer_link_signature("z" * 64, OFFER.offer_id, OFFER.user_id),  # another deployment's secret
    "", "not-a-signature",
])
def test_any_other_signature_is_refused(signature: str) -> None:
    with pytest.raises(ForbiddenError):
        refuse_unless_owner(OFFER, LinkHolder(signature), SECRET)


def test_without_a_secret_no_link_is_valid_but_the_owner_still_answers() -> None:
    with pytest.raises(ForbiddenError):
        refuse_unless_owner(OFFER, LinkHolder(offer_link_signature("", OFFER.offer_id, OFFER.user_id)), None)
    refuse_unless_owner(OFFER, Owner(1_000_004), None)


def test_the_secret_is_never_shown() -> None:
    assert SECRET.value not in repr(SECRET) and SECRET.value not in str(SECRET)
