"""Integration fixtures: real Kafka and PostgreSQL from the launcher, the four services as processes.

The infrastructure comes from deploy/ (the same code `platform demo` uses): given endpoints, else
testcontainers where Docker is reachable, else local processes. Nothing here is ever skipped.
"""

import secrets
import time
from collections.abc import Iterator

import pytest

from platform_deploy.infra import Infrastructure, provide_infrastructure
from platform_deploy.services import Fleet

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
                  extra_env={"LOTTERY_RESULTS_PER_PART": str(TEST_RESULTS_PER_PART)})
    try:
        fleet.start()
        yield fleet
    finally:
        fleet.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(f"infrastructure mode: {_session['mode']}")
    terminalreporter.write_line(f"suite duration: {time.monotonic() - _session['started']:.1f}s")
