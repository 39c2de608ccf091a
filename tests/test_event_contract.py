"""The event contract tells the truth: after a scenario that writes to every topic, every record a service wrote
is a message the served AsyncAPI documents describe (value, key and headers), and no document lost a
declaration to another one of the same name."""

import asyncio
import uuid

import httpx
import pyotp
import pytest

from platform_deploy.infra import Infrastructure
from platform_deploy.operators import Credentials, create_account
from platform_deploy.scenario import (
    admin_client,
    answer_by_link,
    create_closed_draw,
    play_draw,
    prepare_and_execute,
    wait_for_rows,
)
from platform_deploy.services import Fleet
from platform_shared.contracts import topics
from tests.policy_drill import change, roll_back_to
from tests.support import eventually, ok, producer, unique_campaign
from tests.wire_contract import Offsets, Record, ServedDocument, contract_breaches, end_offsets, records_between

pytestmark = pytest.mark.integration

EVERY_TOPIC = {spec.name for spec in topics.TOPICS}


def test_every_record_on_the_wire_is_a_message_the_served_documents_describe(
        fleet: Fleet, infrastructure: Infrastructure, policy: httpx.Client) -> None:
    start = asyncio.run(end_offsets(infrastructure))
    malformed = play_every_topic(fleet, infrastructure, policy)

    records = asyncio.run(eventually(lambda: records_since(infrastructure, start), covers_every_topic,
                                     timeout=90, what="a record on every topic, both kinds of dead letter"))
    served = [ServedDocument(name, ok(httpx.get(f"{service.base_url}/asyncapi.json", timeout=10)))
              for name, service in fleet.services.items()]

    written_by_services = [r for r in records if r.where != malformed]
    breaches = [breach for record in written_by_services for breach in contract_breaches(record, served)]
    assert breaches == [], f"{len(breaches)} of {len(written_by_services)} records break the contract"
    for name, service in fleet.services.items():
        assert "Overwrite channel handler" not in service.log_path.read_text(errors="replace"), name


def play_every_topic(fleet: Fleet, infrastructure: Infrastructure, policy: httpx.Client) -> str:
    """The main scenario and what it leaves out: a decline down to an exhausted waitlist, a recipient the vendor
    refuses, a rollback, a policy change and its rollback, a new admin account's login and logout and a
    malformed record. Returns
    where the malformed record went (written by this test, not by a service)."""
    outcome = play_draw(fleet, entrants=8, seats=1, waitlist_size=1)
    run_id = outcome.run["id"]
    ok(answer_by_link(fleet, outcome.offers[0], "decline"))
    offers = wait_for_rows(fleet["waitlist"].base_url, f"/runs/{run_id}/offers", 2, 60)
    promoted = next(offer for offer in offers if offer["id"] != outcome.offers[0]["id"])
    ok(answer_by_link(fleet, promoted, "decline"))  # nobody left: the seat is exhausted

    refused_run = draw_for_a_refused_recipient(fleet)
    with admin_client(fleet["lottery"].base_url) as lottery:
        rollback = ok(lottery.post(f"/runs/{refused_run}/rollback/prepare", json={"reason": "contract check"}))
        ok(lottery.post(f"/runs/{refused_run}/rollback/confirm", json={"token": rollback["token"]}))

    before = ok(policy.get("/policy"))
    change(fleet, policy, {"release_rate_per_second": before["document"]["release_rate_per_second"] + 3})
    roll_back_to(fleet, policy, before["version"])
    log_in_and_out(fleet, create_account(fleet["policy"].base_env, f"contract-{uuid.uuid4().hex[:8]}", "data"))
    # A refused entrant token is counted in the lottery's login window, reported on kakao_login_health (§9.3).
    refused = httpx.get(f"{fleet['lottery'].base_url}/me", headers={"Authorization": "Bearer not.a.token"}, timeout=10)
    assert refused.status_code == 401, refused.text
    return asyncio.run(send_malformed(infrastructure))


def log_in_and_out(fleet: Fleet, who: Credentials) -> None:
    """A login that ends by logout: its session's end goes to every service (`admin_sessions`)."""
    with httpx.Client(base_url=fleet["policy"].base_url, timeout=30) as policy:
        tokens = ok(policy.post("/auth/login", json={"account": who.name, "password": who.password,
                                                     "totp": pyotp.TOTP(who.totp_secret).at(fleet.clock.now())}))
        answer = policy.post("/auth/logout", headers={"Authorization": f"Bearer {tokens['access_token']}"})
        assert answer.status_code == 204, answer.text


def draw_for_a_refused_recipient(fleet: Fleet) -> str:
    assert fleet.vendor is not None
    person = 7_800_000 + uuid.uuid4().int % 100_000
    with httpx.Client(base_url=fleet.vendor.base_url, timeout=10) as vendor:
        vendor.put("/_behaviour", json={"reject_recipients": [str(person)]}).raise_for_status()
        try:
            with admin_client(fleet["lottery"].base_url) as lottery:
                campaign = unique_campaign("contract")
                create_closed_draw(lottery, campaign, [{"kakao_user_id": person, "weight": 1}], seats=1)
                run_id = str(prepare_and_execute(lottery, campaign)[1]["id"])
            wait_for_rows(fleet["notifier"].base_url, f"/notifications?run_id={run_id}&status=dead", 1, 60)
        finally:
            vendor.put("/_behaviour", json={}).raise_for_status()
    return run_id


async def send_malformed(infrastructure: Infrastructure) -> str:
    async with producer(infrastructure) as send:
        sent = await send(topics.DRAW_ROLLED_BACK, b"{not json", key=b"contract-check")
    return f"{sent.topic}/{sent.partition}@{sent.offset}"


async def records_since(infrastructure: Infrastructure, start: Offsets) -> list[Record]:
    return await records_between(infrastructure, start, await end_offsets(infrastructure))


def covers_every_topic(records: list[Record]) -> bool:
    dead_letters = {r.headers.get("event_type", "DeadLetter") for r in records if r.topic == topics.DEAD_LETTER}
    return {r.topic for r in records} == EVERY_TOPIC and dead_letters >= {"DeadLetter", "NotificationDeadLettered"}
