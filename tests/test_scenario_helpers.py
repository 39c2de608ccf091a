"""The draw helpers the demo and the integration tests share send, through the typed client, the requests
they always sent by hand, signed by the caller's operator, and hand back the answers as the service sent
them (callers index that JSON). A stand-in lottery answers in memory, so this runs in the unit tier."""

import functools
import json
from collections.abc import Generator
from typing import Any

import httpx
import pytest

from platform_deploy.scenario import create_closed_draw, prepare_and_execute

RUN_ID, TOKEN = "9b2f1c3e-0d4a-4c55-8e6f-2a7b9c1d3e4f", "t0ken-abcdefghijk"
DRAW = {"campaign_id": "spring", "seats": 2, "waitlist_size": 1, "draw_at": "2026-12-07T15:00:00Z",
        "requires_intro": False, "requires_adgate": False, "weight_cap": None, "cooldown_hours": 0.0,
        "status": "open", "commitment": None, "frozen_set_hash": None, "algorithm": None, "review": []}
PREPARED = {"entry_set_hash": "ab12", "policy_version": 3, "weight_cap": 5.0, "seats": 2, "waitlist_size": 1,
            "previous_run_id": None, "commitment": "cd34", "campaign_id": "spring",
            "draw_at_kst": "2026-12-08T00:00:00+09:00", "seed_display": "…", "eligible": 3,
            "entries_above_cap": 0, "ranked": 3, "token": TOKEN, "expires_at": "2026-12-07T15:05:00+00:00"}
RUN = {"id": RUN_ID, "campaign_id": "spring", "previous_run_id": None, "status": "live", "seats": 2,
       "waitlist_size": 1, "eligible_count": 3, "entry_set_hash": "ab12", "commitment": "cd34",
       "policy_version": 3, "weight_cap": 5.0, "executed_by": "demo-admin",
       "created_at": "2026-12-07T15:01:02.345678Z", "rolled_back_at": None, "rollback_reason": None}
ANSWERS: dict[tuple[str, str], Any] = {
    ("POST", "/draws"): DRAW, ("POST", "/draws/spring/entries"): {"added": 2},
    ("POST", "/draws/spring/close"): DRAW | {"status": "closed"},
    ("POST", "/draws/spring/runs/prepare"): PREPARED, ("POST", "/draws/spring/runs/execute"): RUN,
}


class Operator(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = "Bearer operator-token"
        yield request


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, Any, str | None]]:
    """Every request the client sends reaches a stand-in lottery; seen in order."""
    seen: list[tuple[str, str, Any, str | None]] = []

    def lottery(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        seen.append((request.method, request.url.path, body, request.headers.get("Authorization")))
        return httpx.Response(200, json=ANSWERS[(request.method, request.url.path)])

    # The transport opens an httpx.Client per call: each one now reaches the stand-in.
    monkeypatch.setattr(httpx, "Client", functools.partial(httpx.Client, transport=httpx.MockTransport(lottery)))
    return seen


def test_a_closed_draw_is_created_filled_and_closed_with_the_same_requests(
        requests: list[tuple[str, str, Any, str | None]]) -> None:
    entries: list[dict[str, Any]] = [{"kakao_user_id": 1_000_001, "weight": 2},
                                     {"kakao_user_id": 1_000_002, "weight": 4.5}]
    raw = httpx.Client(base_url="http://lottery.test", auth=Operator())
    create_closed_draw(raw, "spring", entries, seats=2, waitlist_size=1)
    assert [(method, path) for method, path, _, _ in requests] == [
        ("POST", "/draws"), ("POST", "/draws/spring/entries"), ("POST", "/draws/spring/close")]
    draw = requests[0][2]
    assert set(draw) == {"campaign_id", "seats", "waitlist_size", "draw_at"}  # the rest left to the service
    assert (draw["campaign_id"], draw["seats"], draw["waitlist_size"]) == ("spring", 2, 1)
    assert requests[1][2] == {"entries": entries}
    assert requests[2][2] is None
    assert {auth for _, _, _, auth in requests} == {"Bearer operator-token"}


def test_a_run_answers_as_the_service_sent_it(requests: list[tuple[str, str, Any, str | None]]) -> None:
    prepared, run = prepare_and_execute(httpx.Client(base_url="http://lottery.test", auth=Operator()), "spring")
    assert requests[1][:3] == ("POST", "/draws/spring/runs/execute", {"token": TOKEN})
    assert (prepared, run) == (PREPARED, RUN)
