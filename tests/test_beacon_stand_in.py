"""The drand stand-in (platform_deploy/fake_beacon.py) in one process, for the unit tier: it speaks drand's HTTP
API and its rounds verify with the lottery's own check (docs/draw-algorithm.md §8.4), and the lottery's
`BeaconClient` tells a pending round, an unavailable beacon and an invalid answer apart. The same against the
real process, with timeouts and waiting: tests/test_beacon_client.py."""

import hashlib
import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client import REGISTRY

from lottery_service.adapters.beacon import BeaconClient
from lottery_service.domain.beacon import (
    BeaconChain,
    BeaconInvalid,
    BeaconRoundPending,
    BeaconUnavailable,
    verify_round,
)
from lottery_service.metrics import observe_beacon
from lottery_service.settings import LotterySettings
from platform_deploy.fake_beacon import DEFAULT_GENESIS, StandInChain, create_app
from platform_shared.time.clock import Clock, FixedClock, OffsetClock, SystemClock

STAND_IN = StandInChain.from_seed()
URL = "http://beacon.test"
NOW = datetime(2026, 12, 8, 10, 0, 0, 500000, tzinfo=UTC)


def chain_of(stand_in: StandInChain, url: str = URL) -> BeaconChain:
    """The lottery's view of the stand-in, from the settings the fleet gives it."""
    env = stand_in.lottery_env(url)
    return BeaconChain(env["LOTTERY_BEACON_URL"], env["LOTTERY_BEACON_CHAIN_HASH"], env["LOTTERY_BEACON_PUBLIC_KEY"],
                       int(env["LOTTERY_BEACON_PERIOD_SECONDS"]), int(env["LOTTERY_BEACON_GENESIS_TIME"]),
                       rounds_after_close=int(env["LOTTERY_BEACON_ROUNDS_AFTER_CLOSE"]))


CHAIN = chain_of(STAND_IN)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def transport(clock: FixedClock) -> httpx.ASGITransport:
    """One stand-in, served without a socket to the test and to the client under test alike."""
    return httpx.ASGITransport(app=create_app(STAND_IN, clock))


@pytest.fixture
async def beacon(transport: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    """The stand-in's own API (its controls)."""
    async with httpx.AsyncClient(transport=transport, base_url=URL) as client:
        yield client


@pytest.fixture
def client_for(transport: httpx.ASGITransport) -> Callable[[Clock], BeaconClient]:
    return lambda clock: BeaconClient(CHAIN, clock, timeout=2, observe=observe_beacon, transport=transport)


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_info_is_drands_and_the_chain_hash_is_the_hash_of_the_rest() -> None:
    info = STAND_IN.info
    assert set(info) == {"public_key", "period", "genesis_time", "hash", "schemeID", "beacon_id"}
    assert (info["period"], info["genesis_time"], info["schemeID"]) == \
        (1, int(DEFAULT_GENESIS.timestamp()), "bls-unchained-g1-rfc9380")
    rest = {key: value for key, value in info.items() if key != "hash"}
    canonical = json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert info["hash"] == hashlib.sha256(canonical).hexdigest() == CHAIN.chain_hash


async def test_the_same_seed_gives_the_same_chain_so_restarts_agree_and_another_seed_another() -> None:
    assert StandInChain.from_seed() == STAND_IN and StandInChain.from_seed().beacon(7) == STAND_IN.beacon(7)
    other = StandInChain.from_seed("another seed")
    assert other.public_key != STAND_IN.public_key and other.chain_hash != STAND_IN.chain_hash
    assert str(STAND_IN.secret_key) not in repr(STAND_IN)


async def test_published_rounds_verify_with_the_lotterys_check_and_later_ones_are_too_early(
        beacon: httpx.AsyncClient, clock: FixedClock) -> None:
    latest = STAND_IN.latest_round(NOW)
    assert STAND_IN.latest_round(DEFAULT_GENESIS) == 1 and STAND_IN.latest_round(DEFAULT_GENESIS - timedelta(1)) == 0
    assert (await beacon.get("/chains")).json() == [CHAIN.chain_hash]
    assert (await beacon.get(f"/{CHAIN.chain_hash}/info")).json() == STAND_IN.info
    answered = (await beacon.get(f"/{CHAIN.chain_hash}/public/latest")).json()
    assert answered["round"] == latest
    assert verify_round(CHAIN, latest, answered["signature"], answered["randomness"]).as_record() == answered
    assert (await beacon.get(f"/{CHAIN.chain_hash}/public/{latest}")).json() == answered
    too_early = await beacon.get(f"/{CHAIN.chain_hash}/public/{latest + 1}")
    assert too_early.status_code == 425
    clock.advance(timedelta(seconds=1))
    assert (await beacon.get(f"/{CHAIN.chain_hash}/public/{latest + 1}")).status_code == 200
    assert (await beacon.get(f"/{'0' * 64}/public/{latest}")).status_code == 404
    assert (await beacon.get(f"/{CHAIN.chain_hash}/public/-1")).status_code == 422


async def test_down_answers_503_and_bad_signature_a_wrong_signature_with_its_own_randomness(
        beacon: httpx.AsyncClient) -> None:
    round = STAND_IN.latest_round(NOW)
    down = await beacon.post("/_control/down")
    assert down.json()["mode"] == "down"
    assert (await beacon.get(f"/{CHAIN.chain_hash}/public/{round}")).status_code == 503
    assert (await beacon.get(f"/{CHAIN.chain_hash}/info")).status_code == 503
    assert (await beacon.get("/health")).status_code == 200, "the process itself stays healthy"
    await beacon.post("/_control/bad-signature")
    wrong = (await beacon.get(f"/{CHAIN.chain_hash}/public/{round}")).json()
    assert wrong["round"] == round
    assert wrong["randomness"] == hashlib.sha256(bytes.fromhex(wrong["signature"])).hexdigest()
    with pytest.raises(BeaconInvalid, match=f"round {round}"):
        verify_round(CHAIN, round, wrong["signature"], wrong["randomness"])
    assert (await beacon.post("/_control/up")).json()["mode"] == "up"
    right = (await beacon.get(f"/{CHAIN.chain_hash}/public/{round}")).json()
    assert verify_round(CHAIN, round, right["signature"], right["randomness"]).as_record() == right


async def test_the_client_does_not_ask_for_a_round_its_clock_says_is_not_due(
        beacon: httpx.AsyncClient, clock: FixedClock, client_for: Callable[[Clock], BeaconClient]) -> None:
    round = STAND_IN.latest_round(NOW) + 2
    asked = (await beacon.get("/_control/state")).json()["requests"]
    with pytest.raises(BeaconRoundPending) as pending:
        await client_for(clock).fetch(round)
    assert (pending.value.round, pending.value.due_at) == (round, CHAIN.round_time(round))
    assert pending.value.status_code == 409 and "KST" in pending.value.message
    assert (await beacon.get("/_control/state")).json()["requests"] == asked
    clock.set(CHAIN.round_time(round))
    assert (await client_for(clock).fetch(round)).round == round


async def test_a_beacon_a_little_behind_is_pending_and_one_long_behind_is_unavailable(
        client_for: Callable[[Clock], BeaconClient]) -> None:
    """425 Too Early for a round the client's clock says is due: within a period the beacon is still publishing
    (its clock or a relay a little behind); later, it has stopped."""
    ahead = FixedClock(NOW + timedelta(seconds=0.6))
    round = STAND_IN.latest_round(ahead.now())
    assert round == STAND_IN.latest_round(NOW) + 1
    with pytest.raises(BeaconRoundPending):
        await client_for(ahead).fetch(round)
    far_ahead = FixedClock(NOW + timedelta(seconds=30))
    with pytest.raises(BeaconUnavailable, match="not publishing"):
        await client_for(far_ahead).fetch(round)


async def test_the_client_counts_an_unreachable_beacon_and_an_invalid_answer(
        beacon: httpx.AsyncClient, clock: FixedClock, client_for: Callable[[Clock], BeaconClient]) -> None:
    client, round = client_for(clock), STAND_IN.latest_round(NOW)
    unreachable, invalid = (metric("lottery_beacon_failures_total", reason=r) for r in ("unreachable", "invalid"))
    await beacon.post("/_control/down")
    with pytest.raises(BeaconUnavailable, match=rf"beacon\.test did not give round {round} \(HTTP 503\)") as down:
        await client.fetch(round)
    assert down.value.status_code == 503 and client.status.reachable is False
    assert metric("lottery_beacon_reachable") == 0
    assert metric("lottery_beacon_failures_total", reason="unreachable") == unreachable + 1
    await beacon.post("/_control/bad-signature")
    with pytest.raises(BeaconInvalid, match=f"round {round}"):
        await client.fetch(round)
    assert metric("lottery_beacon_failures_total", reason="invalid") == invalid + 1
    await beacon.post("/_control/up")
    assert (await client.fetch(round)).round == round
    after = client.status
    assert metric("lottery_beacon_reachable") == 1 and after.reachable is True and after.last_problem is None


async def test_answers_that_are_not_drands_are_unavailable_and_another_round_is_invalid(clock: FixedClock) -> None:
    round = STAND_IN.latest_round(NOW)
    answers = {"not JSON": httpx.Response(200, text="<html>"),
               "not a drand beacon": httpx.Response(200, json={"round": str(round)}),
               "HTTP 500": httpx.Response(500, text="oops"), "HTTP 400": httpx.Response(400)}
    for reason, response in answers.items():
        client = BeaconClient(CHAIN, clock, transport=httpx.MockTransport(lambda _, r=response: r))
        with pytest.raises(BeaconUnavailable, match=reason):
            await client.fetch(round)
    other = STAND_IN.beacon(round - 1)
    client = BeaconClient(CHAIN, clock, transport=httpx.MockTransport(lambda _: httpx.Response(200, json=other)))
    with pytest.raises(BeaconInvalid, match=f"answered round {round - 1} instead"):
        await client.fetch(round)


async def test_a_url_with_credentials_is_named_by_its_host_alone(clock: FixedClock) -> None:
    chain = chain_of(STAND_IN, "https://user:hunter2@beacon.example:8443/relay")
    client = BeaconClient(chain, clock, transport=httpx.MockTransport(lambda _: httpx.Response(503)))
    with pytest.raises(BeaconUnavailable) as down:
        await client.fetch(STAND_IN.latest_round(NOW))
    assert "beacon.example:8443" in down.value.message and "hunter2" not in down.value.message


def test_the_lottery_settings_the_fleet_passes_make_the_lotterys_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    """What `Fleet` gives the lottery (stand_ins.fake_beacon_process) passes its settings' checks as they are."""
    env = {"LOTTERY_DATABASE_URL": "postgresql+asyncpg://x/lottery", "LOTTERY_AUDIT_KEY": "k" * 32,
           "LOTTERY_DRAW_SERVER_SECRET": "s" * 16, "LOTTERY_ADGATE_SECRET": "a" * 16,
           **STAND_IN.lottery_env("http://127.0.0.1:18095")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert LotterySettings().beacon_chain() == chain_of(STAND_IN, "http://127.0.0.1:18095")


async def test_wait_for_sleeps_until_the_round_is_due_then_polls_while_the_beacon_is_a_little_behind() -> None:
    """Real time, in process: the service's clock 0.6 s ahead of the stand-in's, so the round it waits for is
    answered 425 for a while after it is due, then verifies."""
    beacon_clock = SystemClock()
    service_clock = OffsetClock(timedelta(seconds=0.6))
    transport = httpx.ASGITransport(app=create_app(STAND_IN, beacon_clock))
    client = BeaconClient(CHAIN, service_clock, timeout=2, transport=transport)
    round = CHAIN.latest_round(service_clock.now()) + 1
    with pytest.raises(BeaconRoundPending):
        await client.wait_for(round + 10, max_wait=3)
    started = time.monotonic()
    assert (await client.wait_for(round, max_wait=3)).round == round
    assert time.monotonic() - started < 3
    assert beacon_clock.now() >= CHAIN.round_time(round), "published by the stand-in's own clock"
