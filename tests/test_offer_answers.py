"""Offers are answered by their owner only (issue 12, SPEC §9), on the running fleet: logged in with Kakao
(`/me/offers/...`, the token's `sub` is the owner) or with the one-time signed link of their notification.
A stranger — here the first person on the waitlist, who would gain from every decline — is refused with
403 and nothing changes: no answer, no promotion, no event, no audit record. Entrants log in with a Kakao
ID token minted by the fleet's local OIDC stand-in (`fleet.entrant_token`)."""

import asyncio
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from platform_deploy.scenario import admin_client, answer_by_link
from platform_deploy.services import Fleet
from platform_shared.auth.offer_links import offer_link_signature
from tests.support import fetch, ok
from tests.test_waitlist_flow import drawn_run

pytestmark = pytest.mark.integration


def entrant(fleet: Fleet, user_id: str) -> httpx.Client:
    """The waitlist's API as the entrant `user_id` (a kakaoUserId), logged in with Kakao."""
    token = fleet.entrant_token(int(user_id))
    return httpx.Client(base_url=fleet["waitlist"].base_url, headers={"Authorization": f"Bearer {token}"},
                        timeout=30)


def first_waiting(fleet: Fleet, run_id: str) -> str:
    """The first person on the run's waitlist: whom a decline would promote."""
    run = ok(admin_client(fleet["lottery"].base_url).get(f"/runs/{run_id}"))
    return str(next(r["kakao_user_id"] for r in run["results"] if r["outcome"] == "waitlist"))


def everything_about(fleet: Fleet, run_id: str) -> dict[str, Any]:
    """What an answer could change: the run's offers and status, its promotion events, the audit log."""
    waitlist = admin_client(fleet["waitlist"].base_url)
    database = fleet.infrastructure.database_urls["waitlist"]
    promoted = asyncio.run(fetch(database, "SELECT count(*) AS n FROM outbox_messages "
                                           "WHERE topic = 'waitlist_promoted' AND payload LIKE $1", f"%{run_id}%"))
    audited = asyncio.run(fetch(database, "SELECT count(*) AS n FROM audit_log"))
    status = ok(waitlist.get(f"/runs/{run_id}/status"))
    status.pop("last_promotion_at")  # the scheduler's own passes move it
    return {"offers": ok(waitlist.get(f"/runs/{run_id}/offers")), "status": status,
            "promoted": promoted[0]["n"], "audited": audited[0]["n"]}


def test_the_owner_accepts_their_own_offer_and_sees_only_their_own(fleet: Fleet) -> None:
    run_id, offers = drawn_run(fleet, entrants=12, seats=2, waitlist_size=2)
    owner = offers[0]

    with entrant(fleet, owner["user_id"]) as me:
        mine = ok(me.get("/me/offers"))
        accepted = ok(me.post(f"/me/offers/{owner['id']}/accept"))
        again = me.post(f"/me/offers/{owner['id']}/decline")
        unknown = me.post(f"/me/offers/{uuid4()}/accept")

    assert {o["user_id"] for o in mine} == {owner["user_id"]}, "an entrant sees their own offers only"
    assert [o["id"] for o in mine if o["run_id"] == run_id] == [owner["id"]]
    assert [o["offered_at"] for o in mine] == sorted((o["offered_at"] for o in mine), reverse=True), "newest first"
    assert accepted["status"] == "accepted"
    assert again.status_code == 409 and "already answered" in again.json()["message"]
    assert unknown.status_code == 404


def test_a_strangers_decline_is_refused_and_nobody_is_promoted(fleet: Fleet) -> None:
    run_id, offers = drawn_run(fleet, entrants=12, seats=2, waitlist_size=2)
    victim, accomplice = offers[0], first_waiting(fleet, run_id)
    before = everything_about(fleet, run_id)

    with entrant(fleet, accomplice) as stranger:
        refused = stranger.post(f"/me/offers/{victim['id']}/decline")
        own = ok(stranger.get("/me/offers"))

    assert refused.status_code == 403, refused.text
    assert victim["user_id"] not in refused.text, "the refusal names nobody"
    assert everything_about(fleet, run_id) == before, "no answer, no promotion, no event, no audit record"
    assert accomplice not in {o["user_id"] for o in before["offers"]}
    assert [o for o in own if o["run_id"] == run_id] == [], "the accomplice was offered nothing"


def test_a_link_answers_only_its_own_offer(fleet: Fleet) -> None:
    """Without any login: the signature of one's own offer, or a forged one, declines nobody else's."""
    run_id, offers = drawn_run(fleet, entrants=12, seats=2, waitlist_size=2)
    victim, own_offer = offers[0], offers[1]
    own_signature = offer_link_signature(fleet.offer_link_secret, UUID(own_offer["id"]), own_offer["user_id"])
    forged = offer_link_signature("not-this-fleets-secret" * 2, UUID(victim["id"]), victim["user_id"])
    before = everything_about(fleet, run_id)

    with httpx.Client(base_url=fleet["waitlist"].base_url, timeout=30) as anyone:
        refusals = [anyone.post(f"/offers/{victim['id']}/answer", json={"answer": "decline", "signature": s})
                    for s in (own_signature, forged, "")]
        peeks = [anyone.get(f"/offers/{victim['id']}/link", params={"sig": s}) for s in (own_signature, forged)]

    assert [r.status_code for r in refusals] == [403, 403, 422]
    assert [r.status_code for r in peeks] == [403, 403]
    assert everything_about(fleet, run_id) == before, "no answer, no promotion, no event, no audit record"


def test_the_link_shows_the_offer_without_changing_it_then_answers_once(fleet: Fleet) -> None:
    run_id, offers = drawn_run(fleet, entrants=12, seats=2, waitlist_size=2)
    offer = offers[0]
    signature = offer_link_signature(fleet.offer_link_secret, UUID(offer["id"]), offer["user_id"])
    link = f"{fleet['waitlist'].base_url}/offers/{offer['id']}/link"

    shown = ok(httpx.get(link, params={"sig": signature}, timeout=30))
    assert (shown["id"], shown["status"], shown["respond_by"]) == (offer["id"], "offered", offer["respond_by"])
    assert "user_id" not in shown, "the link shows the offer, not whose it is"
    assert ok(httpx.get(link, params={"sig": signature}, timeout=30))["status"] == "offered", "a GET changes nothing"

    declined = ok(answer_by_link(fleet, offer, "decline"))
    second = answer_by_link(fleet, offer, "accept")

    assert declined["status"] == "declined"
    assert second.status_code == 409, "the link is dead once the offer is answered"
    after = ok(admin_client(fleet["waitlist"].base_url).get(f"/runs/{run_id}/offers"))
    assert [o["status"] for o in after if o["id"] == offer["id"]] == ["declined"]
    assert [o["rank"] for o in after if o["source"] == "declined"] == [3], "the decline promoted rank 3 at once"
