"""After a Kakao outage (seed §9.2, §9.3) on the real fleet: the issuer stand-in fails while entrants try on two
lottery replicas and the waitlist; the policy service shows the outage banner from the outage's start, then,
once every replica has seen the issuer answer again, the retry banner from its end for the policy's time; the
report sums every replica's refused logins per time window, and `lottery-ops kakao outage` shows it in Korean."""

import asyncio
import secrets
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from platform_deploy.services import Fleet, ServiceProcess
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.time.clock import Clock
from tests.support import eventually, ok, ops_command

pytestmark = pytest.mark.integration


@pytest.fixture
def second_lottery(fleet: Fleet) -> Iterator[ServiceProcess]:
    replica = ServiceProcess("lottery", fleet["lottery"].base_env, fleet.log_dir)
    replica.start()
    try:
        yield replica
    finally:
        replica.stop()


def status(base_url: str, auth: httpx.Auth) -> dict[str, Any]:
    answer: dict[str, Any] = ok(httpx.get(f"{base_url}/auth/kakao/status", auth=auth, timeout=30))
    return answer


def answered(base_url: str, token: str, code: int) -> None:
    """Poll until the edge answers `code` (a key it has not seen is fetched at most once a second)."""
    def me() -> httpx.Response:
        return httpx.get(f"{base_url}/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)

    asyncio.run(eventually(lambda: asyncio.to_thread(me), lambda r: r.status_code == code, timeout=30,
                           what=f"{base_url}/me answering {code}"))


def kakao_banners(fleet: Fleet) -> list[dict[str, Any]]:
    banners: list[dict[str, Any]] = ok(httpx.get(f"{fleet['policy'].base_url}/kakao/banners", timeout=30))["banners"]
    return banners


def poll(probe: Any, done: Any, what: str, timeout: float = 30) -> Any:
    return asyncio.run(eventually(lambda: asyncio.to_thread(probe), done, timeout=timeout, what=what))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def minute_of(instant: datetime) -> datetime:
    return instant.replace(second=0, microsecond=0)


def test_a_kakao_outage_is_reported_by_window_across_replicas_with_its_banners(
        fleet: Fleet, policy: httpx.Client, clock: Clock, second_lottery: ServiceProcess,
        tmp_path: Path) -> None:
    assert fleet.kakao is not None, "this test drives the stand-in issuer"
    kakao = httpx.Client(base_url=fleet.kakao.base_url, timeout=30)
    analyst = fleet.operator("analyst")
    edges = [fleet["lottery"].base_url, second_lottery.base_url, fleet["waitlist"].base_url]
    # An earlier outage (test_kakao_fleet.py's) is over: its replicas asked the issuer again. If it ended in this
    # minute, failures now are reported in its last window, and it is reopened: this test's count adds to its.
    earlier = poll(lambda: ok(policy.get("/kakao/outages")), lambda found: not found or found[0]["ended_at"],
                   "no Kakao outage under way")
    earlier_count = Counter(ok(policy.get(f"/kakao/outages/{earlier[0]['id']}"))["totals"]) if earlier else Counter()
    before = {edge: Counter(status(edge, analyst)["login_failures"]) for edge in edges}
    try:
        ok(kakao.post("/_behave", json={"fail_jwks": True, "fail_token": True}))
        ok(kakao.post("/_rotate", json={"retire_old": False}))
        fresh = fleet.entrant_token(2_000_000_000 + secrets.randbelow(10**9))
        for edge in edges:
            answered(edge, fresh, 503)
        login = httpx.post(f"{fleet['waitlist'].base_url}/auth/kakao/login", timeout=30,
                           json={"code": "a-code", "redirect_uri": "https://e.example/cb", "nonce": "n" * 12})
        assert login.status_code == 503

        during = poll(lambda: kakao_banners(fleet), lambda found: [b["kind"] for b in found] == ["kakao_outage"],
                      "the outage banner")[0]
        assert during["text"] == PolicyDocument.model_validate(ok(policy.get("/policy"))["document"]) \
            .kakao_outage_banner
        assert during["ends_at"] is None and during["set_by"] == "system"
        outage = poll(lambda: ok(policy.get("/kakao/outages"))[0], lambda o: len(o["replicas_down"]) == 3,
                      "every replica reported the issuer down")
        assert outage["ended_at"] is None and at(outage["started_at"]) == at(during["starts_at"])
        assert at(outage["started_at"]) == minute_of(at(outage["started_at"])) <= clock.now()
    finally:
        reset_at = clock.now()
        ok(kakao.post("/_reset"))
    for edge in edges:
        answered(edge, fresh, 200)
    counted = sum((Counter(status(edge, analyst)["login_failures"]) - before[edge] for edge in edges), Counter())
    assert counted["issuer_unavailable"] >= 4, counted
    if earlier and earlier[0]["id"] == outage["id"]:
        counted["issuer_unavailable"] += earlier_count["issuer_unavailable"]

    report = poll(lambda: ok(policy.get(f"/kakao/outages/{outage['id']}")),
                  lambda r: r["outage"]["ended_at"] and r["totals"].get("issuer_unavailable") == counted[
                      "issuer_unavailable"], "every replica's failures in the ended outage's report")
    windows = report["windows"]
    assert sum(w["failures"].get("issuer_unavailable", 0) for w in windows) == counted["issuer_unavailable"]
    assert all(w["total"] == sum(w["failures"].values()) for w in windows)
    assert all(at(w["window_start"]) == minute_of(at(w["window_start"])) and
               at(w["window_end"]) - at(w["window_start"]) == timedelta(minutes=1) for w in windows)
    assert sum(r.startswith("lottery/") for r in report["replicas"]) >= 2
    assert any(r.startswith("waitlist/") for r in report["replicas"])
    ended = at(report["outage"]["ended_at"])
    assert at(report["outage"]["started_at"]) < reset_at <= ended <= clock.now(), "it ended when the issuer was back"

    retry = poll(lambda: kakao_banners(fleet), lambda found: [b["kind"] for b in found] == ["kakao_retry"],
                 "the retry banner")[0]
    assert retry["text"] == "카카오 로그인이 복구되었습니다. 응모에 실패하셨다면 다시 시도해 주세요"
    assert (at(retry["starts_at"]), at(retry["ends_at"])) == (ended, ended + timedelta(minutes=120))

    with ops_command(fleet, tmp_path / "session.json") as ops:
        pm = fleet.operator("pm")
        ops("login", "--account", pm.name, "--password", pm.credentials.password, "--code", pm.totp())
        shown = ops("kakao", "outage", str(outage["id"]))
    summary = " ".join(shown.split())  # the terminal is 80 columns: the summary line folds
    assert f"장애 {outage['id']}: " in summary and "(KST)" in summary and "구간" in shown and "합계" in shown
    assert f"로그인 실패 {sum(report['totals'].values())}건" in summary
