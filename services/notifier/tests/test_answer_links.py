"""Offer messages carry their one-time answer link (SPEC §9), without infrastructure: made at render time
with the waitlist's own signing rule, for offers only, and never written back into the stored params."""

from uuid import uuid4

import pytest

from notifier_service.domain.delivery import TemplateError, render
from notifier_service.domain.links import AnswerLinks
from platform_shared.auth.offer_links import offer_link_is_signed

SECRET = "n" * 64
LINKS = AnswerLinks("https://lottery.example/offers", SECRET)
LINKED = "You won a seat in ${campaign_id}. Answer by ${respond_by}: ${answer_link}"


@pytest.mark.parametrize("template", ["WINNER_OFFER", "WAITLIST_PROMOTION"])
def test_an_offer_message_links_to_its_offer_signed_for_its_person(template: str) -> None:
    offer_id = uuid4()
    stored = {"campaign_id": "c1", "offer_id": str(offer_id), "respond_by": "12-02 08:00"}

    text = render(LINKED, LINKS.params_for(template, "1000004", stored))

    link = text.rsplit(" ", 1)[1]
    assert link.startswith(f"https://lottery.example/offers/{offer_id}/link?sig=")
    assert offer_link_is_signed(SECRET, offer_id, "1000004", link.split("sig=", 1)[1])
    assert not offer_link_is_signed(SECRET, offer_id, "1000005", link.split("sig=", 1)[1])
    assert "answer_link" not in stored, "the stored params are left as they were"


def test_other_messages_get_no_link() -> None:
    params = {"message": "maintenance", "offer_id": str(uuid4())}
    assert LINKS.params_for("INCIDENT_NOTICE", "1000004", params) == params


def test_an_offer_without_a_usable_offer_id_cannot_be_rendered_with_a_link() -> None:
    with pytest.raises(TemplateError):
        render(LINKED, LINKS.params_for("WINNER_OFFER", "u", {"campaign_id": "c", "respond_by": "t"}))
    with pytest.raises(TemplateError):
        LINKS.params_for("WINNER_OFFER", "u", {"offer_id": "not-a-uuid"})


def test_the_secret_is_not_in_its_repr() -> None:
    assert SECRET not in repr(LINKS)
