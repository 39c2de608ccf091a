"""An incident run on the real fleet (seed §1, §5.3, §13): a SEV2 opened → its first response in two steps (the
AdGate exception flag as a new policy version) → the banner on the public, cached endpoint → the `#ops-incident`
stand-in gets the posts in Korean, a failing messenger never blocks a step, a post is retried until it lands or
shows as failed → resolved: its banners end, its timeline lists every step, the audit chain verifies. Bad input
is refused by field and stores nothing. The policy is left as found (the fleet is shared)."""

import asyncio
from typing import Any

import httpx
import pytest

from platform_deploy.services import Fleet
from tests.support import eventually, ok, unique_campaign

pytestmark = pytest.mark.integration
WAIVED = "일시적으로 스폰서 방문 검증을 면제합니다"  # seed §5.3


def _detail(policy: httpx.Client, incident_id: int) -> Any:
    return ok(policy.get(f"/incidents/{incident_id}"))


def _until(probe: Any, done: Any, what: str, timeout: float = 20) -> Any:
    return asyncio.run(eventually(lambda: asyncio.to_thread(probe), done, timeout=timeout, what=what))


def _posts_of(messenger: httpx.Client, incident_id: int) -> list[str]:
    return [p["body"]["text"] for p in ok(messenger.get("/_posts", params={"channel": "ops-incident"}))
            if f"incident #{incident_id}" in str(p["body"].get("blocks"))]  # not Alertmanager's posts


def test_a_sev2_first_response_flags_the_campaign_shows_its_banner_and_is_told_on_ops_incident(
        fleet: Fleet, policy: httpx.Client) -> None:
    assert fleet.messenger is not None, "the stand-in #ops-incident runs with the fleet"
    messenger = httpx.Client(base_url=fleet.messenger.base_url, timeout=10)
    public = httpx.Client(base_url=fleet["policy"].base_url, timeout=10)
    start = ok(policy.get("/policy"))
    campaign = unique_campaign("inc")
    opened = policy.post("/incidents", json={"sev": 2, "title": "AdGate 대량 실패", "summary": "스폰서 랜딩 오류",
                                             "campaigns": [campaign], "features": ["adgate", "entry"]})
    assert opened.status_code == 201, opened.text
    incident = opened.json()
    number = incident["id"]
    assert (incident["status"], incident["opened_by"]) == ("open", "admin")

    prepared = ok(policy.post(f"/incidents/{number}/first-response/prepare",
                              json={"reason": "스폰서 랜딩 장애 (seed §5.3)"}))
    assert prepared["first_response"] == "adgate_exception" and prepared["proposed_against"] == start["version"]
    assert [c["path"] for c in prepared["policy_changes"]] == ["adgate_exceptions"]
    assert ok(policy.get("/policy"))["version"] == start["version"], "preparing changes nothing"
    done = ok(policy.post(f"/incidents/{number}/first-response/confirm", json={"token": prepared["token"]}))
    assert done["policy_version"] == start["version"] + 1 and done["repeated"] is False
    again = ok(policy.post(f"/incidents/{number}/first-response/confirm", json={"token": prepared["token"]}))
    assert again["policy_version"] == done["policy_version"] and again["repeated"] is True
    now_in_force = ok(policy.get("/policy"))
    assert now_in_force["version"] == done["policy_version"]
    assert [e["campaign_id"] for e in now_in_force["document"]["adgate_exceptions"]][-1] == campaign

    try:
        shown = public.get("/banners", params={"campaign_id": campaign})
        assert shown.status_code == 200 and shown.headers["cache-control"] == "public, max-age=15"
        flags = [b for b in shown.json()["banners"] if b["kind"] == "adgate_exception"]
        assert [(b["campaign_id"], b["text"]) for b in flags] == [(campaign, WAIVED)]
        assert flags[0]["set_by"] == "admin" and flags[0]["source"] == f"policy:v{done['policy_version']}"
        cached = public.get("/banners", params={"campaign_id": campaign},
                            headers={"If-None-Match": shown.headers["etag"]})
        assert cached.status_code == 304 and cached.content == b""
        assert campaign not in str(public.get("/banners", params={"campaign_id": "elsewhere"}).json())

        landed = _until(lambda: _posts_of(messenger, number), lambda texts: len(texts) >= 2, "opened + first response")
        assert landed[0].startswith("[SEV2] AdGate 대량 실패 — 열림 (") and "(KST)) · 담당 admin" in landed[0]
        assert "초기 대응" in landed[1] and "AdGate 예외 플래그 ON" in landed[1]

        # The messenger fails once: the step still succeeds, its post is retried and lands.
        ok(messenger.put("/_behaviour", json={"fail_next": 1}))
        ok(policy.post(f"/incidents/{number}/notes", json={"text": "실패율 하락 중"}))
        _until(lambda: _posts_of(messenger, number), lambda texts: any("실패율 하락 중" in t for t in texts),
               "the retried post")
        retried = [p for p in _detail(policy, number)["posts"] if "실패율 하락 중" in p["text"]]
        assert (retried[0]["status"], retried[0]["attempts"]) == ("sent", 2), retried
        # It keeps failing: after its last attempt the post shows as failed, with why.
        ok(messenger.put("/_behaviour", json={"fail_next": 1000}))
        ok(policy.post(f"/incidents/{number}/notes", json={"text": "메신저 장애 확인"}))
        failed = _until(lambda: [p for p in _detail(policy, number)["posts"] if "메신저 장애" in p["text"]],
                        lambda posts: posts[0]["status"] == "failed", "the post failed for good")
        assert failed[0]["attempts"] == 5 and "500" in failed[0]["last_error"]
        assert "ops_incident_posts_failed_total" in public.get("/metrics").text
        ok(messenger.put("/_behaviour", json={"fail_next": 0}))

        banner = policy.post("/banners", json={"text": "응모가 지연될 수 있습니다", "text_en": "Entries may be slow",
                                               "reason": "incident banner", "incident_id": number})
        assert banner.status_code == 201, banner.text
        assert banner.json()["kind"] == "incident"
        assert "응모가 지연될 수 있습니다" in str(public.get("/banners").json())

        resolved = ok(policy.post(f"/incidents/{number}/status", json={"status": "resolved", "note": "원인 해소"}))
        assert resolved["status"] == "resolved" and resolved["banners_ended"] == [banner.json()["id"]]
        assert resolved["adgate_still_exempt"] == [campaign]
        assert "응모가 지연될 수 있습니다" not in str(public.get("/banners").json())
        back = policy.post(f"/incidents/{number}/status", json={"status": "mitigated", "note": "되돌리기 시도"})
        assert back.status_code == 409 and back.json()["field"] == "status"

        detail = _detail(policy, number)
        assert [e["kind"] for e in detail["timeline"]] == [
            "opened", "first_response", "note", "note", "banner_set", "status", "banner_ended"]
        assert detail["timeline"][1]["evidence"]["policy_version"] == done["policy_version"]
        assert detail["banners"][0]["ended_at"] == detail["resolved_at"]
        _until(lambda: _posts_of(messenger, number), lambda texts: any("해결됨" in t for t in texts), "resolved post")
        assert ok(policy.get("/audit/verify"))["intact"] is True
        actions = {r["action"] for r in ok(policy.get("/audit", params={"target": f"incident:{number}"}))}
        assert {"incident.opened", "incident.first_response", "incident.note", "incident.status"} <= actions
    finally:
        ok(messenger.put("/_behaviour", json={"fail_next": 0}))
        tidy = ok(policy.post(f"/policy/versions/{start['version']}/rollback/prepare", json={"reason": "drill over"}))
        ok(policy.post("/policy/rollback/confirm", json={"token": tidy["token"]}))


@pytest.mark.parametrize("path, body, field", [
    ("/incidents", {"sev": 4, "title": "x"}, "sev"),
    ("/incidents", {"sev": 2, "title": " "}, "title"),
    ("/incidents", {"sev": 2, "title": "x", "features": ["teleport"]}, "features"),
    ("/banners", {"text": "점검", "reason": "maintenance", "starts_at": "2030-01-02T10:00+09:00",
                  "ends_at": "2030-01-02T09:00+09:00"}, "ends_at"),
    ("/banners", {"text": "가" * 201, "reason": "maintenance"}, "text"),
    ("/banners", {"text": "점검", "reason": "maintenance", "starts_at": "2020-01-02T10:00+09:00"}, "starts_at"),
    ("/banners", {"text": "점검", "reason": "maintenance", "campaign_id": "not a campaign"}, "campaign_id"),
])
def test_bad_input_is_refused_by_field_and_stores_nothing(policy: httpx.Client, path: str, body: dict[str, Any],
                                                          field: str) -> None:
    before = (ok(policy.get("/incidents"))["total"], ok(policy.get("/banners/all"))["total"])
    refused = policy.post(path, json=body)
    assert refused.status_code in (400, 422), refused.text
    answer = refused.json()
    named = answer.get("field") or ".".join(str(part) for part in answer["detail"][0]["loc"])
    assert field in named, answer
    assert (ok(policy.get("/incidents"))["total"], ok(policy.get("/banners/all"))["total"]) == before
