"""Kafka and PostgreSQL for the system, from the first source that applies:

1. endpoints given in the environment (`KAFKA_BOOTSTRAP_SERVERS` plus `DATABASE_URL`, a server the
   launcher creates the service databases and roles on, or every service's own `<SERVICE>_DATABASE_URL`,
   then used for migrating and running alike);
2. testcontainers, where a Docker engine is reachable;
3. local processes: Kafka from Maven Central jars, PostgreSQL from initdb.
`PLATFORM_INFRA=local|docker` forces a mode.

Wherever the launcher creates the databases, each gets two roles (SPEC §7): an owner that migrates, and
a runtime role the service runs as, which may only INSERT and SELECT on the audit log.

Kafka takes SASL/SCRAM-SHA-512 over TLS with ACLs (kafka_security.py): the launcher's own broker and the
testcontainers one get a new CA, certificate and passwords each time; given endpoints name the CA
(`KAFKA_CA_FILE`), the ops super user (`KAFKA_USERNAME`/`KAFKA_PASSWORD`) and each service's principal
(`<SERVICE>_KAFKA_USERNAME`/`…_PASSWORD`), which the broker's owner created.
"""

import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace

from platform_deploy import kafka, postgres
from platform_deploy.containers import docker_reachable, start_containers
from platform_deploy.kafka_security import BrokerSecrets
from platform_shared.messaging.kafka_client import KafkaAccess

SERVICES = ("policy", "lottery", "waitlist", "notifier")


@dataclass(frozen=True)
class Infrastructure:
    mode: str
    kafka: KafkaAccess
    """The broker as `ops`, the super user (topics, ACLs, the tests' own clients)."""
    kafka_principals: dict[str, KafkaAccess]
    """The broker as each service's own principal."""
    database_urls: dict[str, str]
    """asyncpg SQLAlchemy URL of each service's own database, as its owner (migrations; the tests' view)."""
    runtime_urls: dict[str, str]
    """The same databases as each service's runtime role."""
    server_url: str | None = None
    """The server's administrator (creating scratch databases in tests), where the launcher has one."""
    restart: Mapping[str, Callable[[float], None]] = field(default_factory=dict)
    """Where the launcher runs them itself: restart "kafka" or "postgres", down for the given seconds (faults)."""

    @property
    def kafka_bootstrap_servers(self) -> str:
        return self.kafka.bootstrap_servers


@contextmanager
def provide_infrastructure() -> Iterator[Infrastructure]:
    with ExitStack() as stack:
        infra = _given_endpoints() or _start(stack)
        kafka.create_topics(infra.kafka)
        yield infra


def _given_endpoints() -> Infrastructure | None:
    ops = KafkaAccess.from_environment(dict(os.environ))
    if ops is None:
        return None
    principals = {name: KafkaAccess.from_environment(dict(os.environ), f"{name.upper()}_") or ops for name in SERVICES}
    per_service = {name: os.environ.get(f"{name.upper()}_DATABASE_URL") for name in SERVICES}
    if all(per_service.values()):
        given = {k: v for k, v in per_service.items() if v}
        return Infrastructure("given endpoints", ops, principals, given, given)
    server = os.environ.get("DATABASE_URL")
    if not server:
        raise RuntimeError("KAFKA_BOOTSTRAP_SERVERS is set: also set DATABASE_URL or every <SERVICE>_DATABASE_URL")
    return _with_databases("given endpoints", ops, principals, server)


def _start(stack: ExitStack) -> Infrastructure:
    forced = os.environ.get("PLATFORM_INFRA")
    if forced == "docker" or (forced != "local" and docker_reachable()):
        secrets, bootstrap, admin_url = start_containers(stack)
        return _with_databases("testcontainers", secrets.access(bootstrap), _principals(secrets, bootstrap), admin_url)
    lib = kafka.ensure_kafka_jars()
    local_kafka = kafka.LocalKafka(lib)
    local_postgres = postgres.LocalPostgres()
    stack.callback(local_kafka.stop)
    stack.callback(local_postgres.stop)
    # Side by side: the broker's JVM warming up and initdb need nothing from each other.
    with ThreadPoolExecutor(2) as pool:
        for started in [pool.submit(local_postgres.start), pool.submit(local_kafka.start)]:
            started.result()
    infra = _with_databases("local processes", local_kafka.access,
                            _principals(local_kafka.secrets, local_kafka.bootstrap_servers), local_postgres.admin_url)
    return replace(infra, restart={"kafka": local_kafka.restart, "postgres": local_postgres.restart})


def _principals(secrets: BrokerSecrets, bootstrap_servers: str) -> dict[str, KafkaAccess]:
    return {name: secrets.access(bootstrap_servers, name) for name in SERVICES}


def _with_databases(mode: str, ops: KafkaAccess, principals: dict[str, KafkaAccess],
                    server_url: str) -> Infrastructure:
    """Create one database per service on `server_url`, with its owner and runtime roles."""
    plain = server_url.replace("postgresql+asyncpg://", "postgresql://").replace("postgresql+psycopg2://",
                                                                                  "postgresql://")
    databases = postgres.provision_databases(plain, list(SERVICES))
    return Infrastructure(mode, ops, principals, {name: db.owner_url for name, db in databases.items()},
                          {name: db.runtime_url for name, db in databases.items()},
                          server_url=plain.replace("postgresql://", "postgresql+asyncpg://", 1))
