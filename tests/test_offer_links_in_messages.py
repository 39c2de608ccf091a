"""The answer link travels in the message and nowhere else (issue 12, SPEC §7, §9): the notifier renders it
into an offer's text at send time and stores it in no table; the link a person received answers their
offer once, and a tampered one never."""

import asyncio
import json
import re
from datetime import datetime
from uuid import UUID, uuid4

import httpx
import pytest

from platform_deploy.infra import Infrastructure
from platform_deploy.scenario import admin_client
from platform_deploy.services import Fleet, ServiceProcess
from platform_shared.auth.offer_links import offer_link_is_signed
from platform_shared.time.clock import KST
from tests.notifier_harness import LINKS, notifier_harness
from tests.support import fetch, ok
from tests.test_waitlist_flow import drawn_run
from waitlist_service.domain.offers import offer_dedupe_key

pytestmark = pytest.mark.integration

LINK = re.compile(r"https?://\S+/offers/(?P<offer_id>[0-9a-f-]{36})/link\?sig=(?P<sig>[A-Za-z0-9_-]+)")
DAYTIME = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
NOTIFIER_TABLES = ["notifications", "notification_attempts", "outbox_messages", "dead_letters", "audit_log"]


async def traces(database_url: str, needle: str) -> list[str]:
    """The notifier's tables whose rows mention `needle` anywhere."""
    found = []
    for table in NOTIFIER_TABLES:
        rows = await fetch(database_url, f"SELECT count(*) AS n FROM {table} t WHERE t::text LIKE $1", f"%{needle}%")
        if rows[0]["n"]:
            found.append(table)
    return found


async def test_an_offer_message_carries_its_link_and_the_notifier_keeps_none(infrastructure: Infrastructure,
                                                                            vendor: ServiceProcess) -> None:
    async with notifier_harness(infrastructure, vendor, DAYTIME) as h:
        offer_id = str(uuid4())
        params = {"campaign_id": "links", "offer_id": offer_id, "respond_by": "12-02 10:00"}
        key = await h.request("1000004", "WINNER_OFFER", **params)
        await h.sender.send_due()

        text = await h.vendor_message(key)
        link = LINK.search(text)
        assert link is not None and link["offer_id"] == offer_id, text
        assert text.startswith("[당첨 안내] 축하합니다! links에 당첨되셨습니다."), "Korean first"
        assert link.group(0).startswith(f"{LINKS.base_url}/{offer_id}/link?sig=")
        assert offer_link_is_signed(LINKS.secret, UUID(offer_id), "1000004", link["sig"])
        [row] = await h.rows("SELECT status, params FROM notifications WHERE dedupe_key = $1", key)
        assert row["status"] == "sent"
        assert json.loads(row["params"]) == params, "stored as requested: no answer_link"
        assert await traces(h.database_url, link["sig"]) == [], "the link is in the message only"


def test_the_link_a_winner_received_answers_once_and_a_tampered_one_never(fleet: Fleet,
                                                                         infrastructure: Infrastructure) -> None:
    run_id, offers = drawn_run(fleet, entrants=12, seats=2, waitlist_size=2)
    offer = offers[0]
    assert fleet.vendor is not None, "the fake vendor keeps what it delivered"
    key = offer_dedupe_key(UUID(run_id), offer["user_id"])
    text = ok(httpx.get(f"{fleet.vendor.base_url}/_messages/{key}", timeout=10))["text"]
    link = LINK.search(text)
    assert link is not None and link["offer_id"] == offer["id"], text
    answer_url = f"{fleet['waitlist'].base_url}/offers/{offer['id']}/answer"
    waitlist = admin_client(fleet["waitlist"].base_url)

    shown = ok(httpx.get(link.group(0), timeout=30))  # what the person opens: the offer, unchanged
    tampered = httpx.post(answer_url, json={"answer": "decline", "signature": link["sig"][::-1]}, timeout=30)
    untouched = ok(waitlist.get(f"/runs/{run_id}/offers"))
    first = httpx.post(answer_url, json={"answer": "accept", "signature": link["sig"]}, timeout=30)
    second = httpx.post(answer_url, json={"answer": "decline", "signature": link["sig"]}, timeout=30)

    assert (shown["id"], shown["status"]) == (offer["id"], "offered")
    assert tampered.status_code == 403 and untouched == offers, "a tampered link changes nothing"
    assert ok(first)["status"] == "accepted"
    assert second.status_code == 409 and "already answered" in second.json()["message"], "once only"
    status = ok(waitlist.get(f"/runs/{run_id}/status"))
    assert (status["accepted"], status["declined"], status["held"]) == (1, 0, 2)
    assert asyncio.run(traces(infrastructure.database_urls["notifier"], link["sig"])) == []
