"""The same infrastructure from testcontainers, where a Docker engine is reachable: Kafka 4.1.1 (the image of the
jars the launcher runs) with the launcher's own security settings (kafka_security.py), and PostgreSQL."""

import tempfile
from contextlib import ExitStack
from pathlib import Path

from platform_deploy.kafka_security import BrokerSecrets
from platform_deploy.processes import free_port

KAFKA_IMAGE = "apache/kafka:4.1.1"
START_SCRIPT = Path(__file__).resolve().parents[3] / "deploy" / "docker" / "kafka-start.sh"


def docker_reachable() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


def start_containers(stack: ExitStack) -> tuple[BrokerSecrets, str, str]:
    """Start Kafka (KRaft, SASL_SSL, ACLs) and PostgreSQL containers; returns (the broker's secrets, bootstrap
    servers, admin URL). The broker's port is bound to the same number on the host (127.0.0.1), so the address it
    advertises is the one clients use."""
    from testcontainers.community.postgres import PostgresContainer
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.waiting_utils import wait_for_logs

    from platform_deploy.kafka import SECRETS_IN_CONTAINER, server_properties, write_broker_files

    port = free_port()
    secrets = BrokerSecrets.generate(Path(tempfile.mkdtemp(prefix="lottery-kafka-secrets-")))
    properties = server_properties(secrets, client=f"0.0.0.0:{port}", advertised=f"127.0.0.1:{port}",
                                   internal="localhost:9094", controller="localhost:9093",
                                   secrets_dir=SECRETS_IN_CONTAINER, data_dir="/var/lib/kafka/data")
    write_broker_files(secrets, properties, world_readable=True)
    kafka = (DockerContainer(KAFKA_IMAGE).with_bind_ports(port, port)
             .with_volume_mapping(str(secrets.directory), SECRETS_IN_CONTAINER, "ro")
             .with_volume_mapping(str(START_SCRIPT), "/kafka-start.sh", "ro")
             .with_command("bash /kafka-start.sh"))
    stack.enter_context(kafka)
    wait_for_logs(kafka, "Kafka Server started", timeout=120)
    postgres = stack.enter_context(PostgresContainer("postgres:15", driver=None))
    return secrets, f"127.0.0.1:{port}", postgres.get_connection_url()
