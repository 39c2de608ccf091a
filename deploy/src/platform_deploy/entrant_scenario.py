"""The entrants' side of a draw, as their browsers and phones would play it (SPEC §9, seed §3.1, §5): each
logs in with Kakao (the stand-in issuer's authorize page and the code exchange at the lottery), reads the
intro, visits the sponsor (the stand-in landing signs the way back), and enters on the server's weight;
after the draw, a winner follows the link in the message they received and accepts the seat."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from platform_deploy.scenario import (
    DUE,
    admin_http,
    check,
    kakao_login,
    poll_rows,
    prepare_and_execute,
    wait_until_settled,
)
from platform_deploy.services import Fleet
from platform_shared.client.endpoint import as_json
from platform_shared.client.lottery import LotteryClient
from platform_shared.client.notifier import NotifierClient
from platform_shared.contracts.admin.lottery_requests import DrawIn

LINK = re.compile(r"https?://\S+/link\?sig=[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class EntrantOutcome:
    campaign_id: str
    entries: list[dict[str, Any]]
    run: dict[str, Any]
    message: str | None
    """What the first winner's phone showed; None while quiet hours hold it (it goes out from 08:00 KST)."""
    accepted: dict[str, Any] | None
    """The offer after the winner answered through the link in that message."""


def play_entrant_draw(fleet: Fleet, campaign_id: str, *, entrants: int = 5, seats: int = 2,
                      timeout: float = 60.0) -> EntrantOutcome | None:
    """None with a real Kakao issuer: there, people log in themselves."""
    if fleet.kakao is None:
        return None
    admin = LotteryClient(admin_http(fleet["lottery"].base_url))
    admin.create_draw(DrawIn(campaign_id=campaign_id, seats=seats, waitlist_size=1, draw_at=datetime.now(UTC) - DUE,
                             requires_intro=True, requires_adgate=True, intro="Two seats for the premiere."))
    entries = [enter_as_a_browser_would(fleet, campaign_id, 20_000_000 + n) for n in range(1, entrants + 1)]
    admin.close_entries(campaign_id)
    _, executed = prepare_and_execute(admin, campaign_id)
    drawn = admin.run(executed["id"])
    run: dict[str, Any] = as_json(drawn)
    notifier = NotifierClient(admin_http(fleet["notifier"].base_url))
    poll_rows(lambda: notifier.notifications(run_id=drawn.id), seats, timeout, f"notifications of run {drawn.id}")
    sent = [n for n in wait_until_settled(fleet["notifier"].base_url, run["id"], timeout) if n["status"] == "sent"]
    if not sent or fleet.vendor is None:  # held for quiet hours, or a real vendor: no phone to read here
        return EntrantOutcome(campaign_id, entries, run, None, None)
    message = check(httpx.get(f"{fleet.vendor.base_url}/_messages/{sent[0]['dedupe_key']}", timeout=10))["text"]
    return EntrantOutcome(campaign_id, entries, run, message, accept_through_link(message))


def enter_as_a_browser_would(fleet: Fleet, campaign_id: str, kakao_user_id: int) -> dict[str, Any]:
    login = kakao_login(fleet, kakao_user_id)
    assert login is not None
    with httpx.Client(base_url=fleet["lottery"].base_url, timeout=30,
                      headers={"Authorization": f"Bearer {login['id_token']}"}) as entrant:
        check(entrant.get(f"/campaigns/{campaign_id}/intro"))
        landing = httpx.get(f"{fleet.sponsor.base_url}/visit", timeout=10, follow_redirects=False, params={
            "campaign_id": campaign_id, "kakao_user_id": kakao_user_id,
            "return_to": f"{fleet['lottery'].base_url}/campaigns/{campaign_id}"})
        proof = dict(parse_qsl(urlsplit(landing.headers["location"]).query))
        check(entrant.post(f"/campaigns/{campaign_id}/adgate/return", json=proof))
        entry: dict[str, Any] = check(entrant.post(f"/campaigns/{campaign_id}/entry", json={}))
    return entry


def accept_through_link(message: str) -> dict[str, Any]:
    """The winner taps the link: the offer's page (read-only), then the accept button on it."""
    found = LINK.search(message)
    if found is None:
        raise RuntimeError(f"no answer link in the message: {message!r}")
    link = urlsplit(found.group(0))
    page = check(httpx.get(found.group(0), timeout=10))
    offers_base = f"{link.scheme}://{link.netloc}{link.path.rsplit('/', 2)[0]}"
    signature = dict(parse_qsl(link.query))["sig"]
    answered: dict[str, Any] = check(httpx.post(f"{offers_base}/{page['id']}/answer",
                                                json={"answer": "accept", "signature": signature}, timeout=10))
    return answered
