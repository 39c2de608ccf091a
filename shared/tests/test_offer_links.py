"""The one-time answer link's signature (SPEC §9): good only for its own offer, its own person and the
deployment's own secret."""

from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

from platform_shared.auth.offer_links import offer_link, offer_link_is_signed, offer_link_signature

SECRET = "s" * 64
OFFER, USER = uuid4(), "1000004"


def test_the_signature_of_an_offer_checks_out_for_that_offer_and_person() -> None:
    signature = offer_link_signature(SECRET, OFFER, USER)
    assert offer_link_is_signed(SECRET, OFFER, USER, signature)
    assert len(signature) == 43 and signature.isascii() and "=" not in signature, "short and URL-safe"


def test_it_does_not_answer_another_offer() -> None:
    assert not offer_link_is_signed(SECRET, uuid4(), USER, offer_link_signature(SECRET, OFFER, USER))


def test_it_does_not_answer_for_another_person() -> None:
    signature = offer_link_signature(SECRET, OFFER, USER)
    assert not offer_link_is_signed(SECRET, OFFER, "1000005", signature)
    assert not offer_link_is_signed(SECRET, OFFER, "01000004", signature), "the user id is compared as written"


def test_a_tampered_or_truncated_signature_is_refused() -> None:
    signature = offer_link_signature(SECRET, OFFER, USER)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for bad in (flipped, signature[:-1], signature + "A", "", "x" * 43, "é" * 43):
        assert not offer_link_is_signed(SECRET, OFFER, USER, bad), bad


def test_another_deployments_secret_signs_differently() -> None:
    assert not offer_link_is_signed("t" * 64, OFFER, USER, offer_link_signature(SECRET, OFFER, USER))


def test_the_link_points_at_the_offer_and_carries_the_signature_but_not_the_person() -> None:
    link = offer_link("https://lottery.example/offers/", SECRET, OFFER, USER)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "lottery.example", f"/offers/{OFFER}/link")
    assert parse_qs(parts.query) == {"sig": [offer_link_signature(SECRET, OFFER, USER)]}
    assert USER not in link
