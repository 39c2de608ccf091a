"""Integration fixtures: real Kafka and PostgreSQL from the launcher, the four services as processes.

The infrastructure comes from deploy/ (the same code `platform demo` uses): given endpoints, else
testcontainers where Docker is reachable, else local processes. Nothing here is ever skipped.
"""

import secrets
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from time import monotonic

import httpx
import pytest

from platform_deploy.infra import SERVICES, Infrastructure, provide_infrastructure
from platform_deploy.scenario import admin_client
from platform_deploy.services import Fleet, ServiceProcess, fake_vendor_process
from platform_shared.time.clock import OffsetClock, offset_to_kst

STARTED = monotonic()
_session = {"mode": "not started"}

# Small draw_completed parts, so a 1,000-winner draw crosses Kafka as 20 messages.
TEST_RESULTS_PER_PART = 50
FLEET_TIME_OF_DAY = time(10, 0)


@pytest.fixture(scope="session")
def infrastructure() -> Iterator[Infrastructure]:
    with provide_infrastructure() as infra:
        _session["mode"] = infra.mode
        yield infra


@pytest.fixture(scope="session")
def clock() -> OffsetClock:
    """The one time of the test run, read by every service of the fleet and by the tests: 10:00 KST
    of the day the run starts, flowing from there. A run lasts minutes, so the fleet never meets
    quiet hours, whatever hour CI starts (issue 8); tests that need the night set their own clock."""
    return OffsetClock(offset_to_kst(FLEET_TIME_OF_DAY, datetime.now(UTC)))


@pytest.fixture(scope="session")
def fleet(infrastructure: Infrastructure, clock: OffsetClock) -> Iterator[Fleet]:
    # A movable clock reading the same offset as `clock` until a drill moves it (tests marked moves_fleet_clock,
    # run last: see pytest_collection_modifyitems).
    fleet = Fleet(infrastructure, draw_server_secret=secrets.token_hex(32), clock_offset=clock.offset,
                  movable_clock=True,
                  extra_env={"LOTTERY_RESULTS_PER_PART": str(TEST_RESULTS_PER_PART),
                             # A key the services have not seen is fetched within a second (default 10 s), so
                             # rotation and outage tests need not wait; the bound itself is unit-tested.
                             "KAKAO_JWKS_MIN_REFRESH_SECONDS": "1",
                             # #ops-incident posts retried within seconds (0.3, 0.6, 1.2 … s), not minutes.
                             "POLICY_OPS_INCIDENT_RETRY_SECONDS": "0.3", "POLICY_OPS_INCIDENT_POLL_SECONDS": "0.3",
                             # Kakao login windows reported each second: the outage report settles in seconds.
                             "KAKAO_REPORT_SECONDS": "1",
                             # Reports each second, so the policy's propagation view settles in seconds.
                             **{f"{name.upper()}_STATUS_INTERVAL_SECONDS": "1" for name in SERVICES}})
    try:
        fleet.start()
        yield fleet
    finally:
        fleet.stop()


@pytest.fixture
def policy(fleet: Fleet) -> Iterator[httpx.Client]:
    """The policy service's admin API, as the fleet's admin operator (fresh second factor included)."""
    with httpx.Client(base_url=fleet["policy"].base_url, auth=fleet.operator(), timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def vendor() -> Iterator[ServiceProcess]:
    """A fake vendor of the tests' own (the fleet's notifier uses another)."""
    process = fake_vendor_process(Path(tempfile.mkdtemp(prefix="lottery-vendor-")))
    process.start()
    yield process
    process.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A drill that moves the shared fleet's clock forward (to 23:00, then to 08:00 KST) runs after every other
    test: the time of day it leaves behind is not the 10:00 KST the others were given. Moves are forward only."""
    items.sort(key=lambda item: item.get_closest_marker("moves_fleet_clock") is not None)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(f"infrastructure mode: {_session['mode']}")
    terminalreporter.write_line(f"suite duration: {monotonic() - STARTED:.1f}s")


@pytest.fixture
def lottery(fleet: Fleet) -> httpx.Client:
    """The lottery's admin API as the fleet's admin operator (tests of draws and their corrections)."""
    return admin_client(fleet["lottery"].base_url)
