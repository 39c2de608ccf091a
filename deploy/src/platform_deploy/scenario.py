"""The walking-skeleton scenario, driven through the services' admin APIs:
policy publishes its defaults → lottery draws (prepare, then execute with the token) → waitlist makes
offers → notifier stores notifications. Tests drive draws with the same helpers. And an entrant logs in
with Kakao (the stand-in issuer) and asks who they are."""

import random
import secrets
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import httpx

from platform_deploy.operators import Operator, console_operator
from platform_deploy.services import FAKE_KAKAO_APP_KEY, Fleet
from platform_shared.auth.offer_links import offer_link_signature


@dataclass(frozen=True)
class ScenarioOutcome:
    campaign_id: str
    prepared: dict[str, Any]
    run: dict[str, Any]
    offers: list[dict[str, Any]]
    notifications: list[dict[str, Any]]


def admin_client(base_url: str, operator: Operator | None = None) -> httpx.Client:
    """A client acting as `operator` (default: the one logged in at this console), with fresh tokens."""
    return httpx.Client(base_url=base_url, timeout=60, auth=operator or console_operator())


def create_closed_draw(lottery: httpx.Client, campaign_id: str, entries: list[dict[str, Any]], *, seats: int,
                       waitlist_size: int = 0) -> None:
    check(lottery.post("/draws", json={"campaign_id": campaign_id, "seats": seats, "waitlist_size": waitlist_size,
                                       "draw_at": datetime.now(UTC).isoformat()}))
    check(lottery.post(f"/draws/{campaign_id}/entries", json={"entries": entries}))
    check(lottery.post(f"/draws/{campaign_id}/close"))


def prepare_and_execute(lottery: httpx.Client, campaign_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The operator's two steps: read what will happen, then confirm it with the token."""
    prepared = check(lottery.post(f"/draws/{campaign_id}/runs/prepare"))
    run = check(lottery.post(f"/draws/{campaign_id}/runs/execute", json={"token": prepared["token"]}))
    return prepared, run


def play_draw(fleet: Fleet, *, entrants: int = 20, seats: int = 3, waitlist_size: int = 5,
              campaign_id: str | None = None, timeout: float = 60.0) -> ScenarioOutcome:
    campaign_id = campaign_id or f"demo-{uuid.uuid4().hex[:8]}"
    rng = random.Random(campaign_id)
    entries = [{"kakao_user_id": 10_000_000 + n, "weight": round(rng.uniform(1, 5), 2)}
               for n in range(1, entrants + 1)]
    with admin_client(fleet["lottery"].base_url) as lottery:
        create_closed_draw(lottery, campaign_id, entries, seats=seats, waitlist_size=waitlist_size)
        prepared, executed = prepare_and_execute(lottery, campaign_id)
        run = check(lottery.get(f"/runs/{executed['id']}"))
    winners = min(seats, entrants)
    offers = wait_for_rows(fleet["waitlist"].base_url, f"/runs/{run['id']}/offers", winners, timeout)
    wait_for_rows(fleet["notifier"].base_url, f"/notifications?run_id={run['id']}", winners, timeout)
    notifications = wait_until_settled(fleet["notifier"].base_url, run["id"], timeout)
    return ScenarioOutcome(campaign_id, prepared, run, offers, notifications)


def kakao_login(fleet: Fleet, kakao_user_id: int) -> dict[str, Any] | None:
    """As the entrant's browser would: Kakao's authorize page (the stand-in logs in the user it is told),
    back with a code, the code exchanged at the lottery (POST /auth/kakao/login): the ID token and its
    expiry. None with a real issuer: a person logs in there."""
    if fleet.kakao is None:
        return None
    nonce, redirect_uri = secrets.token_urlsafe(16), "http://127.0.0.1/kakao/callback"
    authorize = httpx.get(f"{fleet.kakao.base_url}/oauth/authorize", timeout=30, params={
        "client_id": FAKE_KAKAO_APP_KEY, "redirect_uri": redirect_uri, "response_type": "code",
        "state": secrets.token_urlsafe(8), "nonce": nonce, "login_hint": str(kakao_user_id)})
    code = parse_qs(urlsplit(authorize.headers["location"]).query)["code"][0]
    login: dict[str, Any] = check(httpx.post(f"{fleet['lottery'].base_url}/auth/kakao/login", timeout=30,
                                             json={"code": code, "redirect_uri": redirect_uri, "nonce": nonce}))
    return login


def log_in_entrant(fleet: Fleet, kakao_user_id: int) -> dict[str, Any] | None:
    """The Kakao login, then GET /me at the waitlist with the ID token: who the services say is calling."""
    login = kakao_login(fleet, kakao_user_id)
    if login is None:
        return None
    me = check(httpx.get(f"{fleet['waitlist'].base_url}/me", timeout=30,
                         headers={"Authorization": f"Bearer {login['id_token']}"}))
    return {"kakao_user_id": me["kakao_user_id"], "expires_at": login["expires_at"]}


def answer_by_link(fleet: Fleet, offer: dict[str, Any], answer: str) -> httpx.Response:
    """Answer an offer as its owner does from the link in their message, without a Kakao login: the
    signature is the one the notifier puts in that link (the fleet holds the secret both services share)."""
    signature = offer_link_signature(fleet.offer_link_secret, UUID(offer["id"]), offer["user_id"])
    return httpx.post(f"{fleet['waitlist'].base_url}/offers/{offer['id']}/answer",
                      json={"answer": answer, "signature": signature}, timeout=30)


def wait_until_settled(notifier_url: str, run_id: str, timeout: float) -> list[dict[str, Any]]:
    """Until every notification of the run was sent, or is held for quiet hours, or failed."""
    deadline = time.monotonic() + timeout
    while True:
        with admin_client(notifier_url) as notifier:
            rows: list[dict[str, Any]] = check(notifier.get(f"/notifications?run_id={run_id}", timeout=10))
        if all(r["status"] not in ("queued", "sending") for r in rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def wait_for_rows(base_url: str, path: str, count: int, timeout: float) -> list[dict[str, Any]]:
    """Poll a list endpoint until it holds `count` rows (events travel asynchronously)."""
    deadline = time.monotonic() + timeout
    rows: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        with admin_client(base_url) as client:
            rows = check(client.get(path, timeout=10))
        if len(rows) >= count:
            return rows
        time.sleep(0.2)
    raise TimeoutError(f"{base_url}{path}: {len(rows)} of {count} rows after {timeout:.0f}s")


VERIFY_SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "verify_draw.py"


def verify_public_bundle(fleet: Fleet, run_id: str) -> str:
    """What an outsider does: download the run's public bundle without logging in and check it with
    the standalone script. Returns the script's verdict line."""
    bundle = httpx.get(f"{fleet['lottery'].base_url}/runs/{run_id}/bundle.json", timeout=60)
    bundle.raise_for_status()
    path = fleet.log_dir / f"run-{run_id}-bundle.json"
    path.write_text(bundle.text)
    done = subprocess.run([sys.executable, str(VERIFY_SCRIPT), str(path)], capture_output=True, text=True,
                          timeout=120, check=False)
    return f"{done.stdout.strip()} (bundle: {path})"


def check(response: httpx.Response) -> Any:
    if response.is_error:
        raise RuntimeError(f"{response.request.method} {response.request.url} → {response.status_code}: "
                           f"{response.text}")
    return response.json() if response.content else None
