"""Apache Kafka in KRaft mode (one combined broker + controller) from the official Maven Central jars.

Kafka 4.1.1: the 4.x line needs no ZooKeeper and Java 17 (which this machine has); aiokafka 0.14
negotiates API versions and talks to it cleanly (checked by this project's integration tests).
"""

import asyncio
import base64
import logging
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from platform_deploy.kafka_acls import create_acls, service_acls
from platform_deploy.kafka_security import BrokerSecrets
from platform_deploy.paths import KAFKA_POM, cache_dir
from platform_deploy.processes import free_port, terminate, wait_until
from platform_shared.contracts.topics import TOPICS
from platform_shared.messaging.kafka_client import KafkaAccess

KAFKA_VERSION = "4.1.1"
SECRETS_IN_CONTAINER = "/etc/kafka/secrets"
"""Where deploy/docker/kafka-start.sh finds the broker's files (compose and testcontainers mount them there)."""

_LOG4J2 = """Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: WARN
      AppenderRef:
        - ref: STDOUT
"""


def ensure_kafka_jars(version: str = KAFKA_VERSION) -> Path:
    """Fetch kafka_2.13 and its runtime dependencies once; later calls reuse the cache."""
    lib = cache_dir() / f"kafka-{version}" / "lib"
    if (lib / ".complete").exists():
        return lib
    staging = Path(tempfile.mkdtemp(prefix="kafka-lib-", dir=cache_dir()))
    fetched = subprocess.run(
        ["mvn", "-q", "-B", "-Dstyle.color=never", "-f", str(KAFKA_POM), f"-Dkafka.version={version}",
         "dependency:copy-dependencies", "-DincludeScope=runtime", f"-DoutputDirectory={staging}"],
        capture_output=True, text=True,  # quiet on success (Maven prints colour codes even with -q)
    )
    if fetched.returncode != 0:
        output = (fetched.stdout + fetched.stderr)[-4000:]
        raise RuntimeError(f"fetching Kafka {version} with Maven failed:\n{output}")
    (staging / ".complete").touch()
    shutil.rmtree(lib, ignore_errors=True)
    lib.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(lib)
    return lib


class LocalKafka:
    """A throwaway single-node cluster in a temporary directory, on free loopback ports, with SASL/SCRAM over TLS
    and ACLs (kafka_security.py): a CA, certificate and passwords of its own."""

    def __init__(self, lib: Path) -> None:
        self._lib = lib
        self._dir = Path(tempfile.mkdtemp(prefix="lottery-kafka-"))
        self.port = free_port()
        self._broker_port = free_port()
        self._controller_port = free_port()
        self.secrets = BrokerSecrets.generate(self._dir / "secrets")
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def access(self) -> KafkaAccess:
        """As `ops`, the super user."""
        return self.secrets.access(self.bootstrap_servers)

    def start(self, timeout: float = 90.0) -> None:
        config = self._dir / "server.properties"
        config.write_text(self._server_properties())
        (self._dir / "log4j2.yaml").write_text(_LOG4J2)
        classpath = f"{self._lib}/*"
        subprocess.run(["java", "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", _cluster_id(),
                        "-c", str(config), *self.secrets.scram_arguments()], check=True, capture_output=True)
        self._launch(timeout)

    def restart(self, down_seconds: float = 0.0, timeout: float = 90.0) -> None:
        """Stop the broker (SIGTERM, as an orchestrator would), stay down, start it on the same data and ports:
        a broker restart for fault-injection runs."""
        if self._process is not None:
            terminate(self._process, grace=20)
        time.sleep(down_seconds)
        self._launch(timeout)

    def _launch(self, timeout: float) -> None:
        config, classpath = self._dir / "server.properties", f"{self._lib}/*"
        log = (self._dir / "kafka.log").open("ab")
        self._process = subprocess.Popen(
            ["java", "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
             f"-Dlog4j2.configurationFile={self._dir / 'log4j2.yaml'}", "-cp", classpath,
             "kafka.Kafka", str(config)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        process = self._process
        # Ready means a metadata request succeeds, not merely an open port.
        wait_until(lambda: metadata_available(self.access), timeout=timeout,
                   what=f"Kafka on {self.bootstrap_servers} (log: {self._dir / 'kafka.log'})",
                   interval=0.5, alive=lambda: process.poll() is None)

    def stop(self) -> None:
        if self._process is not None:
            terminate(self._process, grace=20)
        shutil.rmtree(self._dir, ignore_errors=True)

    def _server_properties(self) -> str:
        client, controller = self.bootstrap_servers, f"127.0.0.1:{self._controller_port}"
        return server_properties(self.secrets, client=client, advertised=client,
                                 internal=f"127.0.0.1:{self._broker_port}", controller=controller,
                                 secrets_dir=str(self.secrets.directory), data_dir=str(self._dir / "data"))


def server_properties(secrets: BrokerSecrets, *, client: str, advertised: str, internal: str, controller: str,
                  secrets_dir: str, data_dir: str) -> str:
    """A single-node KRaft broker and controller with SASL/SCRAM over TLS and ACLs (the launcher's own broker,
    the testcontainers one, compose's)."""
    return "\n".join([
        "process.roles=broker,controller",
        "node.id=1",
        f"controller.quorum.voters=1@{controller}",
        secrets.properties(client=client, advertised=advertised, internal=internal, controller=controller,
                           secrets_dir=secrets_dir),
        f"log.dirs={data_dir}",
        # One node: every internal topic must have replication factor 1.
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=10",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "group.initial.rebalance.delay.ms=0",
        # Topics are created explicitly with their partition counts; a typo must not create one.
        "auto.create.topics.enable=false",
        "num.partitions=1",
        "",
    ])


def compose_server_properties(secrets: BrokerSecrets) -> str:
    """docker-compose.yml's broker: the services reach it as kafka:9092."""
    return server_properties(secrets, client="0.0.0.0:9092", advertised="kafka:9092", internal="localhost:9094",
                             controller="localhost:9093", secrets_dir=SECRETS_IN_CONTAINER,
                             data_dir="/var/lib/kafka/data")


def write_broker_files(secrets: BrokerSecrets, properties: str, *, world_readable: bool = False) -> None:
    """What deploy/docker/kafka-start.sh formats and starts a broker container from, next to the certificates:
    server.properties, cluster-id and scram-credentials (one `SCRAM-SHA-512=[…]` per line). `world_readable`: for
    a container whose user is not this one (the secrets directory itself should then be kept private)."""
    directory = secrets.directory
    (directory / "server.properties").write_text(properties)
    (directory / "ops.properties").write_text(secrets.client_properties(SECRETS_IN_CONTAINER))  # the healthcheck's
    (directory / "cluster-id").write_text(_cluster_id() + "\n")
    arguments = secrets.scram_arguments()
    (directory / "scram-credentials").write_text("".join(f"{value}\n" for value in arguments[1::2]))
    for path in directory.iterdir():
        path.chmod(0o644 if world_readable else 0o600)


def metadata_available(kafka: KafkaAccess) -> bool:
    # aiokafka logs every refused connection at ERROR; while waiting for start-up those are expected.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)

    async def probe() -> bool:
        admin = AIOKafkaAdminClient(**kafka.client_kwargs(), request_timeout_ms=3000)
        try:
            await admin.start()
            await admin.describe_cluster()
            return True
        except Exception:
            return False
        finally:
            await admin.close()

    try:
        return asyncio.run(probe())
    finally:
        logging.getLogger("aiokafka").setLevel(logging.NOTSET)


def create_topics(kafka: KafkaAccess) -> None:
    """Create every platform topic with its partition count (existing topics are left as they are), and, on a
    broker with SASL, every service principal's ACLs. `kafka`: a super user."""

    async def create() -> None:
        admin = AIOKafkaAdminClient(**kafka.client_kwargs())
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            missing = [NewTopic(spec.name, spec.partitions, 1, topic_configs=dict(spec.config))
                       for spec in TOPICS if spec.name not in existing]
            if missing:
                response = await admin.create_topics(missing)
                # The answer carries per-topic error codes instead of raising. "Already exists" is
                # fine: another launcher created the topic in the meantime.
                failed = [(topic, code, message) for topic, code, *message in response.topic_errors
                          if code not in (0, TopicAlreadyExistsError.errno)]
                if failed:
                    raise RuntimeError(f"could not create topics: {failed}")
        finally:
            await admin.close()
        if kafka.sasl:
            await create_acls(kafka, service_acls())

    asyncio.run(create())


def _cluster_id() -> str:
    """A random cluster id that does not start with '-' (1 in 64 do), which the storage tool would read as an
    option and refuse; Kafka's own Uuid.randomUuid() skips those for the same reason."""
    while (cluster_id := base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")).startswith("-"):
        pass
    return cluster_id
