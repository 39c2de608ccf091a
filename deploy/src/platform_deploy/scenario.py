"""The walking-skeleton scenario, driven through the services' admin APIs:
policy publishes its defaults → lottery draws → waitlist makes offers → notifier stores notifications."""

import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from platform_deploy.services import Fleet


@dataclass(frozen=True)
class ScenarioOutcome:
    campaign_id: str
    run: dict[str, Any]
    offers: list[dict[str, Any]]
    notifications: list[dict[str, Any]]


def play_draw(fleet: Fleet, *, entrants: int = 20, seats: int = 3, waitlist_size: int = 5,
              campaign_id: str | None = None, timeout: float = 60.0) -> ScenarioOutcome:
    campaign_id = campaign_id or f"demo-{uuid.uuid4().hex[:8]}"
    lottery = httpx.Client(base_url=fleet["lottery"].base_url, timeout=30)
    _check(lottery.post("/draws", json={"campaign_id": campaign_id, "seats": seats,
                                        "waitlist_size": waitlist_size,
                                        "draw_at": datetime.now(UTC).isoformat()}))
    rng = random.Random(campaign_id)
    entries = [{"kakao_user_id": 10_000_000 + n, "weight": round(rng.uniform(1, 5), 2)}
               for n in range(1, entrants + 1)]
    _check(lottery.post(f"/draws/{campaign_id}/entries", json={"entries": entries}))
    _check(lottery.post(f"/draws/{campaign_id}/close"))
    run_id = _check(lottery.post(f"/draws/{campaign_id}/runs"))["run_id"]
    run = _check(lottery.get(f"/runs/{run_id}"))
    winners = min(seats, entrants)
    offers = wait_for_rows(fleet["waitlist"].base_url, f"/runs/{run_id}/offers", winners, timeout)
    notifications = wait_for_rows(fleet["notifier"].base_url, f"/notifications?run_id={run_id}", winners, timeout)
    return ScenarioOutcome(campaign_id, run, offers, notifications)


def wait_for_rows(base_url: str, path: str, count: int, timeout: float) -> list[dict[str, Any]]:
    """Poll a list endpoint until it holds `count` rows (events travel asynchronously)."""
    deadline = time.monotonic() + timeout
    rows: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        rows = _check(httpx.get(f"{base_url}{path}", timeout=10))
        if len(rows) >= count:
            return rows
        time.sleep(0.2)
    raise TimeoutError(f"{base_url}{path}: {len(rows)} of {count} rows after {timeout:.0f}s")


def _check(response: httpx.Response) -> Any:
    if response.is_error:
        raise RuntimeError(f"{response.request.method} {response.request.url} → {response.status_code}: "
                           f"{response.text}")
    return response.json()
