"""Changing the policy with real processes (issue 11, seed §8): propose → diff + token → confirm (step-up) →
a new version every service reports within seconds; stale proposals refused, a double confirm is one
version, a rollback is a new version equal to an earlier one; bad input creates nothing. Each test leaves
the policy's content as it found it (the fleet is shared)."""

import asyncio
from typing import Any

import httpx
import pytest

from platform_deploy.scenario import admin_client
from platform_deploy.services import Fleet
from platform_shared.time.clock import Clock, to_kst
from tests.policy_drill import SERVICES, every_service_runs, propose
from tests.support import eventually, ok, unique_campaign

pytestmark = pytest.mark.integration


def test_a_confirmed_change_reaches_every_service_and_a_rollback_restores_the_content(
        fleet: Fleet, policy: httpx.Client) -> None:
    start = ok(policy.get("/policy"))
    rate = start["document"]["release_rate_per_second"]
    proposal = propose(policy, {"release_rate_per_second": rate + 7})
    assert proposal["proposed_against"] == start["version"]
    assert proposal["changes"] == [{"path": "release_rate_per_second", "before": rate, "after": rate + 7}]

    changed = ok(policy.post("/policy/changes/confirm", json={"token": proposal["token"]}))
    assert changed["version"] == start["version"] + 1 and changed["created_by"] == "admin"
    again = ok(policy.post("/policy/changes/confirm", json={"token": proposal["token"]}))
    assert again["version"] == changed["version"], "the same token twice is one version"
    every_service_runs(fleet, changed["version"])
    view = asyncio.run(eventually(lambda: asyncio.to_thread(lambda: ok(policy.get("/policy/propagation"))),
                                  lambda v: v["all_current"], timeout=30, what="the propagation view all current"))
    assert view["current_version"] == changed["version"]
    assert {i["service"] for i in view["instances"] if i["policy_version"] == changed["version"]} >= set(SERVICES)

    back = ok(policy.post(f"/policy/versions/{start['version']}/rollback/prepare", json={"reason": "drill over"}))
    assert back["changes"] == [{"path": "release_rate_per_second", "before": rate + 7, "after": rate}]
    restored = ok(policy.post("/policy/rollback/confirm", json={"token": back["token"]}))
    assert (restored["version"], restored["restored_from"]) == (changed["version"] + 1, start["version"])
    assert restored["document"] == start["document"]
    every_service_runs(fleet, restored["version"])

    history = ok(policy.get("/policy/versions"))
    assert [v["version"] for v in history][-3:] == [start["version"], changed["version"], restored["version"]]
    assert history[-1]["changes"] == [{"path": "release_rate_per_second", "before": rate + 7, "after": rate}]
    assert ok(policy.get("/policy/diff", params={"from": start["version"], "to": restored["version"]})) == []


def test_a_proposal_overtaken_by_another_version_is_refused(fleet: Fleet, policy: httpx.Client) -> None:
    start = ok(policy.get("/policy"))
    interval = start["document"]["promotion_interval_minutes"]
    first = propose(policy, {"promotion_interval_minutes": interval + 1})
    second = propose(policy, {"promotion_interval_minutes": interval + 2})
    ok(policy.post("/policy/changes/confirm", json={"token": first["token"]}))
    stale = policy.post("/policy/changes/confirm", json={"token": second["token"]})
    assert stale.status_code == 409 and "proposed against version" in stale.json()["message"]
    assert ok(policy.get("/policy"))["version"] == start["version"] + 1, "no silent overwrite"
    back = ok(policy.post(f"/policy/versions/{start['version']}/rollback/prepare", json={"reason": "tidy"}))
    ok(policy.post("/policy/rollback/confirm", json={"token": back["token"]}))


@pytest.mark.parametrize("body, field", [
    ({"patch": {"weight_cap": -1}}, "weight_cap"),
    ({"patch": {"quiet_hours": {"start": "late evening"}}}, "quiet_hours.start"),
    ({"patch": {"retry": {"max_attempts": 0}}}, "retry.max_attempts"),
    ({"patch": {"no_such_field": 1}}, "no_such_field"),
    ({"document": {"weight_cap": 0}}, "weight_cap"),
    ({"patch": {"weight_cap": 3}, "surprise": True}, "surprise"),
    ({"patch": {"adgate_exceptions": [{"campaign_id": "c", "reason": "r", "valid_from": "2026-12-02",
                                       "valid_until": "2026-12-01"}]}}, "adgate_exceptions"),
    ({"patch": {"quiet_hours": {"start": "23:00:00"}}, "scope": ["c"]}, "patch"),
    ({"patch": {"weight_cap": 3}, "scope": ["not a campaign id"]}, "scope"),
])
def test_a_bad_proposal_names_the_field_and_creates_nothing(policy: httpx.Client, body: dict[str, Any],
                                                            field: str) -> None:
    before = ok(policy.get("/policy"))["version"]
    refused = policy.post("/policy/changes/prepare", json={"reason": "bad input drill", **body})
    assert refused.status_code == 422, refused.text
    answer = refused.json()
    named = answer.get("field") or ".".join(str(part) for part in answer["detail"][0]["loc"])
    assert field in named, answer
    assert ok(policy.get("/policy"))["version"] == before


def test_a_rollback_to_a_version_that_does_not_exist_is_404(policy: httpx.Client) -> None:
    refused = policy.post("/policy/versions/999999/rollback/prepare", json={"reason": "no such version"})
    assert refused.status_code == 404 and refused.json()["field"] == "version"


def test_the_propagation_view_flags_a_service_that_missed_a_change_until_it_catches_up(
        fleet: Fleet, policy: httpx.Client) -> None:
    start = ok(policy.get("/policy"))
    notifier = fleet["notifier"]
    notifier.stop()
    try:
        proposal = propose(policy, {"banners": [*start["document"]["banners"], "propagation drill"]})
        changed = ok(policy.post("/policy/changes/confirm", json={"token": proposal["token"]}))

        def notifier_flagged(view: dict[str, Any]) -> bool:
            mine = [i for i in view["instances"] if i["service"] == "notifier" and not i["silent"]]
            return not view["all_current"] and not mine  # its only process went silent on the old version

        view = asyncio.run(eventually(lambda: asyncio.to_thread(lambda: ok(policy.get("/policy/propagation"))),
                                      notifier_flagged, timeout=30, what="the stopped notifier flagged"))
        silent = [i for i in view["instances"] if i["service"] == "notifier" and i["silent"]]
        assert silent and all(i["policy_version"] < changed["version"] and i["lagging"] for i in silent)
    finally:
        notifier.start()
    asyncio.run(eventually(lambda: asyncio.to_thread(lambda: ok(policy.get("/policy/propagation"))),
                           lambda v: any(i["service"] == "notifier" and i["policy_version"] == changed["version"]
                                         and not i["silent"] for i in v["instances"]),
                           timeout=60, what="the restarted notifier caught up"))
    back = ok(policy.post(f"/policy/versions/{start['version']}/rollback/prepare", json={"reason": "tidy"}))
    ok(policy.post("/policy/rollback/confirm", json={"token": back["token"]}))


def test_an_adgate_exception_admits_unverified_entries_to_its_campaign_only_and_ending_it_reports_them(
        fleet: Fleet, policy: httpx.Client, clock: Clock) -> None:
    """Seed §5: the emergency stop on campaign A; entries to A skip the sponsor visit, marked exempt, while B
    still needs it; the public banner shows for A; switching it off points at the impact report."""
    a, b = unique_campaign("adgate-a"), unique_campaign("adgate-b")
    lottery = admin_client(fleet["lottery"].base_url)
    for campaign in (a, b):
        ok(lottery.post("/draws", json={"campaign_id": campaign, "seats": 1, "waitlist_size": 0,
                                        "requires_adgate": True, "draw_at": clock.now().isoformat()}))
    start = ok(policy.get("/policy"))
    today = to_kst(clock.now()).date().isoformat()
    exception = {"campaign_id": a, "reason": "sponsor landing down", "valid_from": today, "valid_until": today,
                 "banner_text": "No sponsor visit needed today"}
    proposal = propose(policy, {"adgate_exceptions": [*start["document"]["adgate_exceptions"], exception]})
    changed = ok(policy.post("/policy/changes/confirm", json={"token": proposal["token"]}))
    every_service_runs(fleet, changed["version"])
    try:
        for campaign, user in ((a, 8_100_001), (b, 8_100_002)):
            ok(lottery.post(f"/draws/{campaign}/entries", json={"entries": [
                {"kakao_user_id": user, "weight": 1, "adgate_verified": False}]}))
        report = ok(lottery.get("/adgate/exemptions", params={"campaign_id": a}))
        assert [(r["campaign_id"], r["exemption"], r["entries"]) for r in report] == \
            [(a, "AdGate exception: sponsor landing down", 1)]
        assert ok(lottery.get("/adgate/exemptions", params={"campaign_id": b})) == [], "B still needs the visit"
        public = httpx.get(f"{fleet['policy'].base_url}/policy/banners", params={"campaign_id": a}, timeout=10)
        assert "No sponsor visit needed today" in public.json()["banners"]
        assert "No sponsor visit needed today" not in httpx.get(
            f"{fleet['policy'].base_url}/policy/banners", params={"campaign_id": b}, timeout=10).json()["banners"]
    finally:
        back = ok(policy.post(f"/policy/versions/{start['version']}/rollback/prepare", json={"reason": "stop over"}))
        ended = ok(policy.post("/policy/rollback/confirm", json={"token": back["token"]}))
    assert ended["adgate_switched_off"] == [{"campaign_id": a, "reason": "sponsor landing down",
                                             "impact_report": f"lottery: GET /adgate/exemptions?campaign_id={a}"}]
    csv_report = lottery.get("/adgate/exemptions.csv", params={"campaign_id": a}).text.splitlines()
    assert csv_report[0].startswith("campaign_id,exemption,entries") and csv_report[1].startswith(f"{a},")
