"""The lottery's beacon client against the drand stand-in as the fleet runs it: a real process on loopback, on a
movable clock file (docs/draw-algorithm.md §8.4). A round not published yet is waited for and then verifies; a
beacon that is down, or that never answers, is unavailable within the client's timeout, and the draw waits (no
fallback); a wrong signature is refused; the stand-in follows the fleet's clock when a drill moves it."""

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from lottery_service.adapters.beacon import BeaconClient
from lottery_service.domain.beacon import BeaconChain, BeaconInvalid, BeaconRoundPending, BeaconUnavailable
from platform_deploy.service_process import ServiceProcess
from platform_deploy.services import Fleet
from platform_deploy.stand_ins import control_beacon, fake_beacon_process
from platform_shared.time.clock import Clock, MovableClock
from tests.support import eventually

pytestmark = pytest.mark.integration


class StandIn:
    def __init__(self, process: ServiceProcess, env: dict[str, str], clock: MovableClock) -> None:
        self.process, self.clock = process, clock
        self.chain = BeaconChain(env["LOTTERY_BEACON_URL"], env["LOTTERY_BEACON_CHAIN_HASH"],
                                 env["LOTTERY_BEACON_PUBLIC_KEY"], int(env["LOTTERY_BEACON_PERIOD_SECONDS"]),
                                 int(env["LOTTERY_BEACON_GENESIS_TIME"]))

    def client(self, timeout: float = 3.0, ahead: float = 0.0) -> BeaconClient:
        """A lottery's client on the fleet's clock (`ahead`: a service clock that many seconds ahead of it)."""
        clock = Ahead(self.clock, timedelta(seconds=ahead)) if ahead else self.clock
        return BeaconClient(self.chain, clock, timeout=timeout)

    def latest(self) -> int:
        return self.chain.latest_round(self.clock.now())

    async def state(self) -> dict[str, Any]:
        """The stand-in's own account: its mode, the requests it got, its latest round by its clock."""
        async with httpx.AsyncClient(base_url=self.process.base_url, timeout=10) as client:
            return dict((await client.get("/_control/state")).json())


@dataclass(frozen=True)
class Ahead:
    """A service's clock `by` ahead of the fleet's."""

    base: Clock
    by: timedelta

    def now(self) -> datetime:
        return self.base.now() + self.by


@pytest.fixture(scope="module")
def beacon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandIn]:
    log_dir: Path = tmp_path_factory.mktemp("beacon")
    clock_file = log_dir / "clock-offset"
    clock_file.write_text("0.0")
    process, env = fake_beacon_process(log_dir, timedelta(0), clock_file)
    process.start()
    try:
        yield StandIn(process, env, MovableClock(clock_file))
    finally:
        process.stop()


@pytest.fixture(autouse=True)
def beacon_up(beacon: StandIn) -> Iterator[None]:
    yield
    control_beacon(beacon.process, "up")


async def test_a_published_round_of_the_stand_in_verifies_as_the_lottery_checks_it(beacon: StandIn) -> None:
    async with httpx.AsyncClient(base_url=beacon.process.base_url, timeout=10) as client:
        info = (await client.get(f"/{beacon.chain.chain_hash}/info")).json()
    assert (info["public_key"], info["hash"]) == (beacon.chain.public_key, beacon.chain.chain_hash)
    round = beacon.latest() - 1
    fetched = await beacon.client().fetch(round)
    assert fetched.round == round and len(fetched.randomness) == 64


async def test_a_round_not_yet_published_is_pending_then_waited_for_and_verified(beacon: StandIn) -> None:
    client = beacon.client()
    round = beacon.latest() + 2
    with pytest.raises(BeaconRoundPending):
        await client.fetch(round)
    with pytest.raises(BeaconRoundPending):  # due later than the wait allows: refused at once
        await client.wait_for(round + 60, max_wait=5)
    fetched = await client.wait_for(round, max_wait=10)
    assert fetched.round == round and beacon.clock.now() >= beacon.chain.round_time(round)


async def test_a_beacon_whose_clock_is_a_little_behind_answers_too_early_and_is_waited_for(beacon: StandIn) -> None:
    """The service's clock 0.6 s ahead of the beacon's: for it the round is due, the stand-in answers 425."""
    client = beacon.client(ahead=0.6)
    round = beacon.chain.latest_round(beacon.clock.now() + timedelta(seconds=0.6))
    if round == beacon.latest():  # this instant's round is already out for both clocks: take the next
        round += 1
    asked = (await beacon.state())["requests"]
    fetched = await client.wait_for(round, max_wait=5)
    assert fetched.round == round
    assert (await beacon.state())["requests"] >= asked + 2, "asked while the stand-in still said too early, then again"


async def test_a_beacon_that_is_down_is_unavailable_and_the_draw_waits(beacon: StandIn) -> None:
    control_beacon(beacon.process, "down")
    round = beacon.latest()
    with pytest.raises(BeaconUnavailable, match=rf"127\.0\.0\.1:{beacon.process.port} did not give round {round}"):
        await beacon.client().fetch(round)
    with pytest.raises(BeaconUnavailable):  # not retried into a fallback, not waited through
        await beacon.client().wait_for(round, max_wait=5)
    control_beacon(beacon.process, "up")
    assert (await beacon.client().fetch(round)).round == round


async def test_a_beacon_that_never_answers_is_unavailable_within_the_timeout(beacon: StandIn) -> None:
    control_beacon(beacon.process, "hang", hang_seconds=30)
    round = beacon.latest()
    started = time.monotonic()
    with pytest.raises(BeaconUnavailable, match="no answer within 1 s"):
        await beacon.client(timeout=1.0).fetch(round)
    assert 0.9 <= time.monotonic() - started < 5


async def test_a_wrong_signature_is_refused(beacon: StandIn) -> None:
    control_beacon(beacon.process, "bad-signature")
    round = beacon.latest()
    with pytest.raises(BeaconInvalid, match=f"round {round} does not verify"):
        await beacon.client().fetch(round)


async def test_the_stand_in_follows_the_fleets_movable_clock(beacon: StandIn) -> None:
    """A drill moves the fleet an hour ahead: the beacon publishes the rounds the services' clocks say are due."""
    before = (await beacon.state())["latest_round"]
    beacon.clock.move_to(datetime.now(UTC) + timedelta(hours=1))
    moved = await eventually(beacon.state, lambda state: state["latest_round"] - before >= 3600, timeout=10,
                             what="the stand-in reading the moved clock")
    assert abs(moved["latest_round"] - beacon.latest()) <= 1, "the stand-in and the services read one time"
    round = beacon.latest()
    assert (await beacon.client().fetch(round)).round == round


async def test_the_fleet_runs_the_stand_in_on_its_clock_and_gives_the_lottery_its_chain(fleet: Fleet) -> None:
    if fleet.beacon is None:
        pytest.skip("LOTTERY_BEACON_URL names a real beacon: the fleet runs no stand-in")
    lottery = fleet["lottery"].base_env
    async with httpx.AsyncClient(base_url=fleet.beacon.base_url, timeout=10) as client:
        info = (await client.get(f"/{lottery['LOTTERY_BEACON_CHAIN_HASH']}/info")).json()
        state = (await client.get("/_control/state")).json()
    assert lottery["LOTTERY_BEACON_URL"] == fleet.beacon.base_url
    assert (info["public_key"], info["period"], info["genesis_time"]) == (
        lottery["LOTTERY_BEACON_PUBLIC_KEY"], int(lottery["LOTTERY_BEACON_PERIOD_SECONDS"]),
        int(lottery["LOTTERY_BEACON_GENESIS_TIME"]))
    beacon_now = datetime.fromisoformat(state["now"])
    assert abs(beacon_now - fleet.clock.now()) < timedelta(seconds=5), "the stand-in reads the fleet's time"
