"""One draw crosses all four services over the real broker and databases."""

import asyncio

import httpx
import pytest

from platform_deploy.scenario import admin_client, play_draw, verify_public_bundle, wait_for_rows
from platform_deploy.services import Fleet
from tests.support import eventually, ok, unique_campaign

pytestmark = pytest.mark.integration


def test_a_draw_becomes_offers_and_notifications(fleet: Fleet) -> None:
    outcome = play_draw(fleet, entrants=12, seats=3, waitlist_size=4)

    results = outcome.run["results"]
    assert [r["rank"] for r in results] == list(range(1, 8))
    assert [r["outcome"] for r in results] == ["winner"] * 3 + ["waitlist"] * 4
    assert outcome.run["policy_version"] >= 1, "the lottery ran on the published policy, not bare defaults"
    winners = [str(r["kakao_user_id"]) for r in results[:3]]
    assert [o["user_id"] for o in outcome.offers] == winners
    assert sorted(n["user_id"] for n in outcome.notifications) == sorted(winners)
    assert {n["template"] for n in outcome.notifications} == {"WINNER_OFFER"}
    sent = wait_for_rows(fleet["notifier"].base_url, f"/notifications?run_id={outcome.run['id']}&status=sent", 3, 60)
    assert fleet.vendor is not None, "the fake vendor counts deliveries"
    accepted = httpx.get(f"{fleet.vendor.base_url}/_deliveries", timeout=10).json()["accepted"]
    assert [accepted.get(n["dedupe_key"]) for n in sent] == [1] * len(sent), "each was sent to the vendor once"
    # The demo's last step: an outsider checks the run's public bundle with the standalone script.
    assert verify_public_bundle(fleet, outcome.run["id"]).startswith("VERIFIED: 12 entries, 12 eligible, 3 winners")


def test_every_service_is_healthy_on_the_same_policy_version(fleet: Fleet) -> None:
    """The version in force (1 on a fresh fleet; later ones if the policy tests ran first) everywhere."""
    current = ok(admin_client(fleet["policy"].base_url).get("/policy"))["version"]

    def versions() -> set[int]:
        seen = set()
        for service in fleet.services.values():
            health = httpx.get(f"{service.base_url}/health", timeout=5).json()
            assert health["database"] == "ok" and health["kafka"] == "ok", health
            seen.add(health["policy_version"])
        return seen

    assert asyncio.run(eventually(lambda: asyncio.to_thread(versions), lambda seen: seen == {current},
                                  timeout=30, what=f"every service on version {current}")) == {current}


def test_a_duplicate_entry_is_refused_and_writes_nothing(fleet: Fleet) -> None:
    campaign = unique_campaign("dup")
    lottery = admin_client(fleet["lottery"].base_url)
    ok(lottery.post("/draws", json={"campaign_id": campaign, "seats": 1, "waitlist_size": 0,
                                    "draw_at": "2026-12-01T20:00:00+09:00"}))
    ok(lottery.post(f"/draws/{campaign}/entries", json={"entries": [{"kakao_user_id": 7, "weight": 1}]}))

    refused = lottery.post(f"/draws/{campaign}/entries",
                           json={"entries": [{"kakao_user_id": 8, "weight": 1}, {"kakao_user_id": 7, "weight": 2}]})

    assert refused.status_code == 409
    assert "7" in refused.json()["message"]
    again = lottery.post(f"/draws/{campaign}/entries", json={"entries": [{"kakao_user_id": 8, "weight": 1}]})
    assert again.status_code == 201, "user 8 was not written by the refused batch"


def test_each_service_documents_its_topics_in_asyncapi(fleet: Fleet) -> None:
    expected = {
        "policy": {"policy_changed", "kakao_login_health", "dead_letter"},
        "lottery": {"draw_completed", "draw_rolled_back", "notification_requested", "kakao_login_health",
                    "policy_changed", "dead_letter"},
        "waitlist": {"draw_completed", "draw_rolled_back", "notification_delivered", "notification_undeliverable",
                     "notification_requested", "waitlist_promoted", "waitlist_exhausted", "kakao_login_health",
                     "policy_changed", "dead_letter"},
        "notifier": {"notification_requested", "notification_delivered", "notification_undeliverable",
                     "draw_rolled_back", "policy_changed", "dead_letter"},
    }
    # Every service follows the admin accounts and ended logins (token revocations), anchors its audit chain and reports
    # the policy version it runs on.
    everywhere = {"admin_accounts", "admin_sessions", "audit_anchors", "service_status"}
    for name, topics in expected.items():
        document = ok(httpx.get(f"{fleet[name].base_url}/asyncapi.json", timeout=10))
        assert document["asyncapi"].startswith("3.")
        addresses = {channel["address"] for channel in document["channels"].values()}
        assert addresses == topics | everywhere, name
