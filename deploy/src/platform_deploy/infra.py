"""Kafka and PostgreSQL for the system, from the first source that applies:

1. endpoints given in the environment (`KAFKA_BOOTSTRAP_SERVERS` plus `DATABASE_URL`, a server the
   launcher creates the service databases on, or every service's own `<SERVICE>_DATABASE_URL`);
2. testcontainers, where a Docker engine is reachable;
3. local processes: Kafka from Maven Central jars, PostgreSQL from initdb.
`PLATFORM_INFRA=local|docker` forces a mode.
"""

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from platform_deploy import kafka, postgres
from platform_deploy.containers import docker_reachable, start_containers

SERVICES = ("policy", "lottery", "waitlist", "notifier")


@dataclass(frozen=True)
class Infrastructure:
    mode: str
    kafka_bootstrap_servers: str
    database_urls: dict[str, str]
    """asyncpg SQLAlchemy URL of each service's own database."""


@contextmanager
def provide_infrastructure() -> Iterator[Infrastructure]:
    with ExitStack() as stack:
        infra = _given_endpoints() or _start(stack)
        kafka.create_topics(infra.kafka_bootstrap_servers)
        yield infra


def _given_endpoints() -> Infrastructure | None:
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not bootstrap:
        return None
    per_service = {name: os.environ.get(f"{name.upper()}_DATABASE_URL") for name in SERVICES}
    if all(per_service.values()):
        return Infrastructure("given endpoints", bootstrap, {k: v for k, v in per_service.items() if v})
    server = os.environ.get("DATABASE_URL")
    if not server:
        raise RuntimeError("KAFKA_BOOTSTRAP_SERVERS is set: also set DATABASE_URL or every <SERVICE>_DATABASE_URL")
    return Infrastructure("given endpoints", bootstrap, _service_databases(server))


def _start(stack: ExitStack) -> Infrastructure:
    forced = os.environ.get("PLATFORM_INFRA")
    if forced == "docker" or (forced != "local" and docker_reachable()):
        bootstrap, admin_url = start_containers(stack)
        return Infrastructure("testcontainers", bootstrap, _service_databases(admin_url))
    lib = kafka.ensure_kafka_jars()
    local_kafka = kafka.LocalKafka(lib)
    local_postgres = postgres.LocalPostgres()
    stack.callback(local_kafka.stop)
    stack.callback(local_postgres.stop)
    local_postgres.start()
    local_kafka.start()
    return Infrastructure("local processes", local_kafka.bootstrap_servers,
                          _service_databases(local_postgres.admin_url))


def _service_databases(server_url: str) -> dict[str, str]:
    """Create one database per service on `server_url`; return their asyncpg SQLAlchemy URLs."""
    plain = server_url.replace("postgresql+asyncpg://", "postgresql://").replace("postgresql+psycopg2://",
                                                                                  "postgresql://")
    postgres.create_databases(plain, list(SERVICES))
    parts = urlsplit(plain)
    return {
        name: urlunsplit(parts._replace(scheme="postgresql+asyncpg", path=f"/{name}"))
        for name in SERVICES
    }
