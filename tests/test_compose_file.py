"""docker-compose.yml cannot run on a machine without Docker; check it against the code instead."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from lottery_service.settings import LotterySettings
from notifier_service.settings import NotifierSettings
from platform_deploy.infra import SERVICES
from platform_deploy.paths import REPO_ROOT
from platform_shared.service.settings import ServiceSettings
from policy_service.settings import PolicySettings
from waitlist_service.settings import WaitlistSettings

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
SETTINGS: dict[str, type[ServiceSettings]] = {
    "lottery": LotterySettings, "waitlist": WaitlistSettings,
    "notifier": NotifierSettings, "policy": PolicySettings,
}
CREATED_DATABASES = set(re.findall(r"CREATE DATABASE (\w+) OWNER \w+;", (REPO_ROOT / "deploy/docker/postgres-init.sql")
                                   .read_text()))


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_is_built_from_its_own_package_and_runs_its_entry_point(name: str) -> None:
    service = COMPOSE["services"][name]
    project = tomllib.loads((REPO_ROOT / "services" / name / "pyproject.toml").read_text())["project"]
    assert service["build"]["args"]["PACKAGE"] == project["name"]
    assert service["command"] == [f"{name}-service"]
    assert f"{name}-service" in project["scripts"]
    assert (REPO_ROOT / service["build"]["dockerfile"]).exists()


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_environment_satisfies_its_settings_class(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    environment = {key: str(value) for key, value in COMPOSE["services"][name]["environment"].items()}
    # `${VAR:-default}` is checked with its default; a required `${VAR:?…}` with a stand-in value.
    environment = {key: _default(value) if value.startswith("${") else value for key, value in environment.items()}
    for key, value in environment.items():
        monkeypatch.setenv(key, value)

    settings = SETTINGS[name]()

    assert settings.kafka_bootstrap_servers == "kafka:9092"
    kafka = settings.kafka_access()
    assert (kafka.security_protocol, kafka.username) == ("SASL_SSL", name), "its own principal, over TLS"
    assert kafka.ca_file in {volume.split(":")[1] for volume in COMPOSE["services"][name]["volumes"]}
    database = settings.database_url.get_secret_value().rsplit("/", 1)[1]
    assert database == name and database in CREATED_DATABASES
    assert settings.migration_database_url is not None
    runtime_role = settings.database_url.get_secret_value().split("//", 1)[1].split(":", 1)[0]
    owner_role = settings.migration_database_url.get_secret_value().split("//", 1)[1].split(":", 1)[0]
    assert (runtime_role, owner_role) == (f"{name}_runtime", f"{name}_owner"), "runs as a role that cannot own"
    assert settings.http_host == "0.0.0.0", "reachable from outside its container (the default is loopback)"
    # Settings ignore unknown variables, so a misspelt one would silently fall back to its default.
    settings_class = SETTINGS[name]
    prefix = settings_class.model_config.get("env_prefix", "")
    known = {field.validation_alias if isinstance(field.validation_alias, str) else f"{prefix}{name}".upper()
             for name, field in settings_class.model_fields.items()}
    assert set(environment) <= known, f"variables no setting reads: {sorted(set(environment) - known)}"


def _default(reference: str) -> str:
    default = re.fullmatch(r"\$\{\w+:-(.*)\}", reference)
    return default.group(1) if default else "x" * 32


def test_services_wait_for_postgres_and_for_the_topics() -> None:
    for name in SERVICES:
        depends_on = COMPOSE["services"][name]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy"
        assert depends_on["kafka-topics"]["condition"] == "service_completed_successfully"
    assert COMPOSE["services"]["kafka-topics"]["command"] == ["platform", "create-topics"]
    assert Path(REPO_ROOT / "deploy/docker/postgres-init.sql").exists()


def test_only_the_waitlist_and_the_notifier_hold_the_offer_link_secret_and_the_same_one() -> None:
    environments = {name: COMPOSE["services"][name]["environment"] for name in SERVICES}
    holders = {name for name, environment in environments.items() if "OFFER_LINK_SECRET" in environment}
    assert holders == {"waitlist", "notifier"}
    assert len({environments[name]["OFFER_LINK_SECRET"] for name in holders}) == 1


def test_alertmanager_posts_to_ops_incident_with_the_webhook_url_as_a_secret_and_prometheus_sends_to_it() -> None:
    """seed §1: alerts reach `#ops-incident` through Alertmanager; the webhook URL is never in the repo."""
    alertmanager = COMPOSE["services"]["alertmanager"]
    debian = next((REPO_ROOT / ".cache").glob("prometheus-alertmanager-deb/prometheus-alertmanager_*.deb"), None)
    assert alertmanager["image"] == "prom/alertmanager:v0.25.0", "the version whose amtool checks the config"
    if debian is not None:
        assert debian.name.startswith("prometheus-alertmanager_0.25.0"), "Debian's version moved: move the image"
    assert "./deploy/alertmanager:/etc/alertmanager:ro" in alertmanager["volumes"]
    assert "--config.file=/etc/alertmanager/alertmanager.yml" in alertmanager["command"]
    assert alertmanager["secrets"] == ["ops_incident_webhook_url"]
    assert COMPOSE["secrets"]["ops_incident_webhook_url"] == {"environment": "OPS_INCIDENT_WEBHOOK_URL"}

    config = yaml.safe_load((REPO_ROOT / "deploy/alertmanager/alertmanager.yml").read_text())
    [slack] = [target for receiver in config["receivers"] for target in receiver.get("slack_configs", [])]
    assert slack["api_url_file"] == "/run/secrets/ops_incident_webhook_url" and "api_url" not in slack
    assert (slack["channel"], slack["send_resolved"]) == ("#ops-incident", True)
    assert config["route"]["receiver"] == "ops-incident" and config["route"]["group_by"] == ["alertname", "sev"]

    prometheus = yaml.safe_load((REPO_ROOT / "deploy/prometheus/prometheus.yml").read_text())
    [target] = [t for am in prometheus["alerting"]["alertmanagers"] for c in am["static_configs"] for t in c["targets"]]
    assert target == "alertmanager:9093" and "alertmanager" in COMPOSE["services"]["prometheus"]["depends_on"]
