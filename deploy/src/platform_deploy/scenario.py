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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import httpx

from platform_deploy.operators import Operator, console_operator
from platform_deploy.services import FAKE_KAKAO_APP_KEY, Fleet
from platform_shared.auth.offer_links import offer_link_signature
from platform_shared.client.endpoint import as_json
from platform_shared.client.lottery import LotteryClient
from platform_shared.client.notifier import NotifierClient
from platform_shared.client.transport import AdminHttp
from platform_shared.client.waitlist import WaitlistClient
from platform_shared.contracts.admin.lottery_requests import DrawIn, EntriesIn
from platform_shared.contracts.admin.models import TokenIn

DUE = timedelta(days=1)
"""A demo draw's time is a day back: it is due whatever time of day the fleet's clock reads (seed §3.1: a
draw runs early only on an override with a reason)."""

Row = TypeVar("Row")


@dataclass(frozen=True)
class ScenarioOutcome:
    campaign_id: str
    prepared: dict[str, Any]
    run: dict[str, Any]
    offers: list[dict[str, Any]]
    notifications: list[dict[str, Any]]


def admin_client(base_url: str, operator: Operator | None = None) -> httpx.Client:
    """A raw client acting as `operator` (default: the one logged in at this console), with fresh tokens: for
    the routes a test probes by hand. The helpers below speak through the typed client instead."""
    return httpx.Client(base_url=base_url, timeout=60, auth=operator or console_operator())


def admin_http(base_url: str, operator: Operator | None = None) -> AdminHttp:
    """The typed client's transport, acting as `operator` (an operator signs each request: an httpx.Auth)."""
    return AdminHttp(base_url, operator or console_operator(), timeout=60)


def as_lottery(lottery: LotteryClient | httpx.Client) -> LotteryClient:
    """Tests hold raw clients for the routes they probe by hand; the same service and operator, typed."""
    if isinstance(lottery, LotteryClient):
        return lottery
    return LotteryClient(AdminHttp(str(lottery.base_url), lottery.auth, timeout=60))


def create_closed_draw(lottery: LotteryClient | httpx.Client, campaign_id: str, entries: list[dict[str, Any]], *,
                       seats: int, waitlist_size: int = 0) -> None:
    typed = as_lottery(lottery)
    typed.create_draw(DrawIn(campaign_id=campaign_id, seats=seats, waitlist_size=waitlist_size,
                             draw_at=datetime.now(UTC) - DUE))
    typed.add_entries(campaign_id, EntriesIn.model_validate({"entries": entries}))
    typed.close_entries(campaign_id)


def prepare_and_execute(lottery: LotteryClient | httpx.Client,
                        campaign_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The operator's two steps: read what will happen, then confirm it with the token. Both answers as the
    service sent them (callers read them as JSON)."""
    typed = as_lottery(lottery)
    prepared = typed.prepare_run(campaign_id)
    run = typed.execute_run(campaign_id, TokenIn(token=prepared.token))
    return as_json(prepared), as_json(run)


def play_draw(fleet: Fleet, *, entrants: int = 20, seats: int = 3, waitlist_size: int = 5,
              campaign_id: str | None = None, timeout: float = 60.0) -> ScenarioOutcome:
    campaign_id = campaign_id or f"demo-{uuid.uuid4().hex[:8]}"
    rng = random.Random(campaign_id)
    entries = [{"kakao_user_id": 10_000_000 + n, "weight": round(rng.uniform(1, 5), 2)}
               for n in range(1, entrants + 1)]
    lottery = LotteryClient(admin_http(fleet["lottery"].base_url))
    create_closed_draw(lottery, campaign_id, entries, seats=seats, waitlist_size=waitlist_size)
    prepared, executed = prepare_and_execute(lottery, campaign_id)
    run = lottery.run(executed["id"])
    winners = min(seats, entrants)
    waitlist = WaitlistClient(admin_http(fleet["waitlist"].base_url))
    offers = poll_rows(lambda: waitlist.offers(run.id), winners, timeout, f"offers of run {run.id}")
    notifier = NotifierClient(admin_http(fleet["notifier"].base_url))
    poll_rows(lambda: notifier.notifications(run_id=run.id), winners, timeout, f"notifications of run {run.id}")
    notifications = wait_until_settled(fleet["notifier"].base_url, str(run.id), timeout)
    return ScenarioOutcome(campaign_id, prepared, as_json(run), as_json(offers), notifications)


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
    notifier = NotifierClient(admin_http(notifier_url))
    deadline = time.monotonic() + timeout
    while True:
        rows = notifier.notifications(run_id=run_id)
        if all(r.status not in ("queued", "sending") for r in rows) or time.monotonic() > deadline:
            settled: list[dict[str, Any]] = as_json(rows)
            return settled
        time.sleep(0.2)


def poll_rows(read: Callable[[], list[Row]], count: int, timeout: float, what: str) -> list[Row]:
    """Read until the list holds `count` rows (events travel asynchronously)."""
    deadline = time.monotonic() + timeout
    rows: list[Row] = []
    while time.monotonic() < deadline:
        rows = read()
        if len(rows) >= count:
            return rows
        time.sleep(0.2)
    raise TimeoutError(f"{what}: {len(rows)} of {count} rows after {timeout:.0f}s")


def wait_for_rows(base_url: str, path: str, count: int, timeout: float) -> list[dict[str, Any]]:
    """Poll a list endpoint, named by its path and query as a test writes it, until it holds `count` rows."""
    def read() -> list[dict[str, Any]]:
        with admin_client(base_url) as client:
            rows: list[dict[str, Any]] = check(client.get(path, timeout=10))
            return rows
    return poll_rows(read, count, timeout, f"{base_url}{path}")


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
