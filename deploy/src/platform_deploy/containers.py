"""The same infrastructure from testcontainers, where a Docker engine is reachable."""

from contextlib import ExitStack


def docker_reachable() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


def start_containers(stack: ExitStack) -> tuple[str, str]:
    """Start Kafka (KRaft) and PostgreSQL containers; returns (bootstrap servers, admin URL)."""
    from testcontainers.community.kafka import KafkaContainer
    from testcontainers.community.postgres import PostgresContainer

    kafka = stack.enter_context(KafkaContainer("confluentinc/cp-kafka:8.0.0").with_kraft())
    postgres = stack.enter_context(PostgresContainer("postgres:15", driver=None))
    admin_url = postgres.get_connection_url()
    return kafka.get_bootstrap_server(), admin_url
