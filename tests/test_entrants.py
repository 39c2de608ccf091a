"""The entrant edge with real processes (issue 12, SPEC §9, seed §3.1, §5): a Kakao-logged-in entrant reads
the intro, visits the sponsor (the stand-in landing signs the return), and enters once; the server decides
the weight from the policy's weight rule and the preconditions from what it recorded. Nobody chooses their
own weight or preconditions, a sponsor return works once and for its own entrant only, and every refusal
changes nothing."""

import asyncio
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from platform_deploy.entrant_scenario import play_entrant_draw
from platform_deploy.scenario import admin_client
from platform_deploy.services import Fleet
from platform_shared.time.clock import Clock
from tests.policy_drill import change, roll_back_to
from tests.support import execute_draw, fetch, ok, unique_campaign

pytestmark = pytest.mark.integration

ENTRANT, STRANGER = 9_100_001, 9_100_002


def as_entrant(fleet: Fleet, user: int) -> httpx.Client:
    return httpx.Client(base_url=fleet["lottery"].base_url, timeout=30,
                        headers={"Authorization": f"Bearer {fleet.entrant_token(user)}"})


def sponsor_visit(fleet: Fleet, campaign: str, user: int) -> dict[str, Any]:
    """What the landing sends the entrant back with (the page then posts it with the entrant's login)."""
    landing = httpx.get(f"{fleet.sponsor.base_url}/visit", timeout=10, follow_redirects=False, params={
        "campaign_id": campaign, "kakao_user_id": user, "return_to": "https://lottery.example/adgate/return"})
    assert landing.status_code == 302, landing.text
    fields: dict[str, Any] = dict(parse_qsl(urlsplit(landing.headers["location"]).query))
    return fields


def test_an_entrant_reads_the_intro_visits_the_sponsor_and_enters_once_on_the_servers_weight(
        fleet: Fleet, policy: httpx.Client, clock: Clock) -> None:
    campaign = unique_campaign("entrant")
    with admin_client(fleet["lottery"].base_url) as admin:
        ok(admin.post("/draws", json={"campaign_id": campaign, "seats": 1, "waitlist_size": 0,
                                      "draw_at": clock.now().isoformat(), "requires_intro": True,
                                      "requires_adgate": True, "intro": "Read me first"}))
    public = httpx.get(f"{fleet['lottery'].base_url}/campaigns/{campaign}", timeout=10)
    assert public.status_code == 200 and public.json()["requires_intro"], "browsing needs no login"

    start = ok(policy.get("/policy"))
    change(fleet, policy, {"weight_rule": {"base": 1, "intro_bonus": 0.5, "adgate_bonus": 2}})
    try:
        with as_entrant(fleet, ENTRANT) as me, as_entrant(fleet, STRANGER) as stranger:
            first = me.post(f"/campaigns/{campaign}/entry", json={})
            assert first.status_code == 409 and first.json()["field"] == "intro", "intro first"
            assert ok(me.get(f"/campaigns/{campaign}/intro"))["intro"] == "Read me first"
            second = me.post(f"/campaigns/{campaign}/entry", json={})
            assert second.status_code == 409 and second.json()["field"] == "adgate", "then the sponsor visit"

            proof = sponsor_visit(fleet, campaign, ENTRANT)
            stolen = stranger.post(f"/campaigns/{campaign}/adgate/return", json=proof)
            assert stolen.status_code == 403 and "other_user" in stolen.text, "a return is its own entrant's"
            assert me.post(f"/campaigns/{campaign}/adgate/return", json=proof).status_code == 204
            replayed = me.post(f"/campaigns/{campaign}/adgate/return", json=proof)
            assert replayed.status_code == 403 and "replayed" in replayed.text, "and works once"

            chosen = me.post(f"/campaigns/{campaign}/entry", json={"weight": 100, "adgate_verified": True})
            assert chosen.status_code == 422 and "weight" in chosen.text, "no client-chosen weight or precondition"
            entry = ok(me.post(f"/campaigns/{campaign}/entry", json={}))
            assert (entry["kakao_user_id"], entry["weight"], entry["intro_seen"], entry["adgate_verified"]) == \
                (ENTRANT, 3.5, True, True), "base 1 + intro 0.5 + sponsor visit 2, from the policy in force"
            again = me.post(f"/campaigns/{campaign}/entry", json={})
            assert again.status_code == 409, "one entry per (campaign, kakaoUserId)"
            assert ok(me.get(f"/campaigns/{campaign}/entry"))["weight"] == 3.5

            # A recent winner gets the base only where the event has a cooldown (seed §7.3).
            with admin_client(fleet["lottery"].base_url) as admin:
                ok(admin.post(f"/draws/{campaign}/close"))
            execute_draw(fleet["lottery"].base_url, campaign)  # the only entrant: a winner
            later = unique_campaign("cooldown")
            with admin_client(fleet["lottery"].base_url) as admin:
                ok(admin.post("/draws", json={"campaign_id": later, "seats": 1, "waitlist_size": 0,
                                              "draw_at": clock.now().isoformat(), "cooldown_hours": 24}))
            weights = {}
            for client, user in ((me, ENTRANT), (stranger, STRANGER)):
                ok(client.get(f"/campaigns/{later}/intro"))
                weights[user] = ok(client.post(f"/campaigns/{later}/entry", json={}))["weight"]
            assert weights == {ENTRANT: 1.0, STRANGER: 1.5}, "the winner in cooldown: no intro bonus"
    finally:
        roll_back_to(fleet, policy, start["version"])

    lottery_db = fleet.infrastructure.database_urls["lottery"]
    rows = asyncio.run(fetch(lottery_db, "SELECT kakao_user_id, weight, source FROM entries WHERE campaign_id = $1",
                             campaign))
    assert [(r["kakao_user_id"], r["weight"], r["source"]) for r in rows] == [(ENTRANT, 3.5, "kakao")]
    failures = asyncio.run(fetch(lottery_db, "SELECT reason FROM adgate_failures WHERE campaign_id = $1 ORDER BY id",
                          campaign))
    assert [r["reason"] for r in failures] == ["other_user", "replayed"], "each refusal recorded with its reason"
    metrics = httpx.get(f"{fleet['lottery'].base_url}/metrics", timeout=10).text
    assert 'adgate_verify_fail_total{reason="replayed"}' in metrics
    passed = [line for line in metrics.splitlines() if line.startswith("adgate_verify_pass_total ")]
    assert passed and float(passed[0].split()[1]) >= 1, "a verified return is counted: the SEV2 ratio's other half"


def test_a_return_signed_by_another_landing_is_refused_and_counted(fleet: Fleet, clock: Clock) -> None:
    campaign = unique_campaign("forged-landing")
    with admin_client(fleet["lottery"].base_url) as admin:
        ok(admin.post("/draws", json={"campaign_id": campaign, "seats": 1, "waitlist_size": 0,
                                      "draw_at": clock.now().isoformat(), "requires_adgate": True}))
    ok(httpx.post(f"{fleet.sponsor.base_url}/_behave", json={"sign_with": "not-the-shared-secret"}, timeout=10))
    try:
        proof = sponsor_visit(fleet, campaign, ENTRANT)
    finally:
        ok(httpx.post(f"{fleet.sponsor.base_url}/_behave", json={}, timeout=10))
    with as_entrant(fleet, ENTRANT) as me:
        forged = me.post(f"/campaigns/{campaign}/adgate/return", json=proof)
        assert forged.status_code == 403 and "bad_signature" in forged.text
        refused = me.post(f"/campaigns/{campaign}/entry", json={})
        assert refused.status_code == 409 and refused.json()["field"] == "adgate", "nothing was recorded"


def test_the_demos_entrants_enter_themselves_and_a_winner_accepts_through_the_link_in_their_message(
        fleet: Fleet) -> None:
    outcome = play_entrant_draw(fleet, unique_campaign("entrant-demo"), entrants=4, seats=2)
    assert outcome is not None and outcome.message is not None and outcome.accepted is not None
    assert {e["kakao_user_id"] for e in outcome.entries} == {20_000_001, 20_000_002, 20_000_003, 20_000_004}
    assert all(e["intro_seen"] and e["adgate_verified"] for e in outcome.entries)
    assert "/link?sig=" in outcome.message and outcome.accepted["status"] == "accepted"
