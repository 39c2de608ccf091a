"""What a confirmed policy change does to the running services (issue 11 "must show", SPEC §6): a partial
change caps new entries of its campaigns only while old entries keep the weight they came in with, and
the draw uses those stored weights; events the change puts out of bounds are flagged for review (seed
§7.3); the notifier's quiet hours move with the policy, and move back with a rollback. Each test returns
the policy's content as it found it (the fleet is shared)."""

import csv
import io
from datetime import timedelta
from typing import Any

import httpx
import pytest

from platform_deploy.scenario import admin_client, prepare_and_execute, wait_for_rows, wait_until_settled
from platform_deploy.services import Fleet
from platform_shared.time.clock import Clock, to_kst
from tests.policy_drill import change, roll_back_to
from tests.support import ok, unique_campaign

pytestmark = pytest.mark.integration

OLD_USER, NEW_USER = 8_200_001, 8_200_002


def new_draw(lottery: httpx.Client, clock: Clock, campaign: str, **settings: Any) -> httpx.Response:
    return lottery.post("/draws", json={"campaign_id": campaign, "seats": 1, "waitlist_size": 1,
                                        "draw_at": clock.now().isoformat(), **settings})


def enter(lottery: httpx.Client, campaign: str, user: int, weight: float) -> None:
    ok(lottery.post(f"/draws/{campaign}/entries", json={"entries": [{"kakao_user_id": user, "weight": weight}]}))


def exported_weights(lottery: httpx.Client, run_id: str) -> dict[int, float]:
    rows = csv.DictReader(io.StringIO(lottery.get(f"/runs/{run_id}/export.csv").text))
    return {int(row["kakao_user_id"]): float(row["weight"]) for row in rows}


def test_a_partial_cap_change_caps_new_entries_of_its_campaigns_and_old_entries_keep_their_weight(
        fleet: Fleet, policy: httpx.Client, clock: Clock) -> None:
    scoped, other, loose = unique_campaign("cap-a"), unique_campaign("cap-b"), unique_campaign("cap-loose")
    lottery = admin_client(fleet["lottery"].base_url)
    for campaign, settings in ((scoped, {}), (other, {}), (loose, {"weight_cap": 9})):
        ok(new_draw(lottery, clock, campaign, **settings))
    start = ok(policy.get("/policy"))
    cap = start["document"]["weight_cap"]
    enter(lottery, scoped, OLD_USER, cap)  # comes in under the platform's cap

    changed = change(fleet, policy, {"weight_cap": 3}, scope=[scoped, loose])
    try:
        assert changed["scope"] == [scoped, loose]
        enter(lottery, scoped, NEW_USER, cap)
        enter(lottery, other, NEW_USER, cap)
        ok(lottery.post(f"/draws/{scoped}/close"))
        prepared, run = prepare_and_execute(lottery, scoped)
        assert (prepared["weight_cap"], prepared["entries_above_cap"]) == (3, 1), "the pre-check shows both"
        assert run["weight_cap"] == 3
        assert exported_weights(lottery, run["id"]) == {OLD_USER: cap, NEW_USER: 3}, \
            "the new entry got the new cap; the old one kept its own, and the draw used it"
        ok(lottery.post(f"/draws/{other}/close"))
        _, untouched = prepare_and_execute(lottery, other)
        assert exported_weights(lottery, untouched["id"]) == {NEW_USER: cap}, "a campaign outside the scope"

        flagged = {d["campaign_id"]: d["review"] for d in ok(lottery.get("/draws", params={"needs_review": True}))}
        assert [f["field"] for f in flagged[loose]] == ["weight_cap"], "the event's cap 9 is now above 3"
        assert scoped not in flagged and other not in flagged
        refused = new_draw(lottery, clock, unique_campaign("cap-over"), weight_cap=cap + 1)
        assert refused.status_code == 422 and refused.json()["field"] == "weight_cap", refused.text
    finally:
        roll_back_to(fleet, policy, start["version"])
    assert loose not in {d["campaign_id"] for d in ok(lottery.get("/draws", params={"needs_review": True}))}


def test_the_notifier_holds_and_releases_as_the_moved_quiet_hours_say(
        fleet: Fleet, policy: httpx.Client, clock: Clock) -> None:
    """The fleet lives at 10:00 KST; a change puts it inside quiet hours, then a rollback takes it out."""
    start = ok(policy.get("/policy"))
    now = to_kst(clock.now())
    window = {"start": (now - timedelta(hours=1)).time().isoformat(timespec="seconds"),
              "end": (now + timedelta(hours=2)).time().isoformat(timespec="seconds")}
    change(fleet, policy, {"quiet_hours": window})
    campaign = unique_campaign("quiet-moved")
    with admin_client(fleet["lottery"].base_url) as lottery:
        ok(new_draw(lottery, clock, campaign))
        enter(lottery, campaign, 8_300_001, 1)
        ok(lottery.post(f"/draws/{campaign}/close"))
        _, run = prepare_and_execute(lottery, campaign)
    try:
        notifier = fleet["notifier"].base_url
        wait_for_rows(notifier, f"/notifications?run_id={run['id']}", 1, 60)
        held = wait_until_settled(notifier, run["id"], 60)
        assert [n["status"] for n in held] == ["held"], "inside the moved window nothing goes out"
    finally:
        roll_back_to(fleet, policy, start["version"])
    sent = wait_for_rows(notifier, f"/notifications?run_id={run['id']}&status=sent", 1, 60)
    assert fleet.vendor is not None
    accepted = httpx.get(f"{fleet.vendor.base_url}/_deliveries", timeout=10).json()["accepted"]
    assert accepted.get(sent[0]["dedupe_key"]) == 1, "released once the window moved back, and sent once"
