"""Monitoring runs here (`make observability`): Prometheus and Alertmanager from Debian's packages, unpacked
into .cache/, load the project's rules and dashboard and scrape the real fleet; every series the alerts read
is there from start-up."""

from pathlib import Path

import httpx
import pytest

from platform_deploy.observability import Pace, observability
from platform_deploy.services import Fleet
from tests.support import eventually

pytestmark = pytest.mark.integration


async def test_prometheus_scrapes_the_fleet_with_the_project_rules_and_dashboard(fleet: Fleet,
                                                                                  tmp_path: Path) -> None:
    services = {name: service.base_url for name, service in fleet.services.items()}
    # Scraped every second, not every 5 s: the test waits for every target's first scrape and its rules' first run.
    with observability(services, tmp_path, pace=Pace(scrape_seconds=1)) as stack:
        async with httpx.AsyncClient(base_url=stack.prometheus, timeout=10) as prometheus:
            async def targets() -> dict[str, str]:
                found = (await prometheus.get("/api/v1/targets")).json()["data"]["activeTargets"]
                return {target["labels"]["job"]: target["health"] for target in found}

            assert await eventually(targets, lambda up: up == {name: "up" for name in services},
                                    timeout=60, what="every service scraped") == {name: "up" for name in services}
            rules = (await prometheus.get("/api/v1/rules")).json()["data"]["groups"]
            names = {rule["name"] for group in rules for rule in group["rules"]}
            assert {"DeadLettersGrowing", "EnqueueSuccessBelow98Percent", "NotificationsPausedPastEnd"} <= names
            kept = (await prometheus.get("/api/v1/query", params={"query": "dead_letters_kept"})).json()
            jobs = {series["metric"]["job"] for series in kept["data"]["result"]}
            assert {"lottery", "waitlist", "notifier", "policy"} <= jobs, "a dead-letter series for every service"
            paused = (await prometheus.get("/api/v1/query", params={"query": "notifications_sending_paused"})).json()
            assert [series["value"][1] for series in paused["data"]["result"]] == ["0"]
            page = await prometheus.get("/consoles/platform.html")
            assert page.status_code == 200 and "Notification sending" in page.text
        if stack.alertmanager is not None:
            async with httpx.AsyncClient(timeout=10) as client:
                assert (await client.get(f"{stack.alertmanager}/api/v2/status")).status_code == 200
