"""Integration fixtures: real Kafka and PostgreSQL from the launcher, the four services as processes.

The infrastructure comes from deploy/ (the same code `platform demo` uses): given endpoints, else
testcontainers where Docker is reachable, else local processes. Nothing here is ever skipped.
"""

import secrets
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from platform_deploy.infra import Infrastructure, provide_infrastructure
from platform_deploy.services import Fleet, ServiceProcess, fake_vendor_process
from platform_shared.clock import KST

_session = {"mode": "not started", "started": time.monotonic()}

# Small draw_completed parts, so a 1,000-winner draw crosses Kafka as 20 messages.
TEST_RESULTS_PER_PART = 50


@pytest.fixture(scope="session")
def infrastructure() -> Iterator[Infrastructure]:
    with provide_infrastructure() as infra:
        _session["mode"] = infra.mode
        yield infra


@pytest.fixture(scope="session")
def fleet(infrastructure: Infrastructure) -> Iterator[Fleet]:
    fleet = Fleet(infrastructure, draw_server_secret=secrets.token_hex(32),
                  extra_env={"LOTTERY_RESULTS_PER_PART": str(TEST_RESULTS_PER_PART)},
                  service_env={"notifier": {"NOTIFIER_CLOCK_OFFSET_SECONDS": str(seconds_until_kst_daytime())}})
    try:
        fleet.start()
        yield fleet
    finally:
        fleet.stop()


@pytest.fixture(scope="session")
def vendor() -> Iterator[ServiceProcess]:
    """A fake vendor of the tests' own (the fleet's notifier uses another)."""
    process = fake_vendor_process(Path(tempfile.mkdtemp(prefix="lottery-vendor-")))
    process.start()
    yield process
    process.stop()


def seconds_until_kst_daytime() -> float:
    """The notifier's clock offset that puts it at 10:00 KST today: far from quiet hours for the whole
    run, whatever time of day CI happens to start (tests that need the night move their own clock)."""
    now = datetime.now(UTC)
    ten = now.astimezone(KST).replace(hour=10, minute=0, second=0, microsecond=0)
    return (ten - now).total_seconds()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(f"infrastructure mode: {_session['mode']}")
    terminalreporter.write_line(f"suite duration: {time.monotonic() - _session['started']:.1f}s")
