"""The broker's secrets and its security settings, one recipe for the launcher's broker, the testcontainers one and
compose: a CA and the broker's certificate (made here with `cryptography`), SCRAM-SHA-512 passwords for every
principal, and the server.properties lines that turn on SASL over TLS and the `StandardAuthorizer`.

Principals: `ops` (a super user: creates topics and ACLs, the `platform` tools and the tests' own clients),
`broker` (the broker's and controller's own connections; a super user), and one per service, whose ACLs come
from contracts/topic_access.py (kafka_acls.py). SCRAM credentials are written into the metadata log when the
storage is formatted (`--add-scram`, KIP-900), so they exist before the first start. The controller listener
takes PLAIN over TLS, with its one user in the JAAS line: SCRAM is kept in the metadata the controller serves,
so it cannot authenticate the controller's own listener."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import SecretStr

from platform_shared.contracts.topic_access import SERVICE_TOPICS
from platform_shared.messaging.kafka_client import KafkaAccess

OPS, BROKER = "ops", "broker"
PRINCIPALS = (OPS, BROKER, *SERVICE_TOPICS)
CERTIFICATE_HOSTS = ("localhost", "127.0.0.1", "kafka")
"""The names a client may reach the broker by: loopback (the launcher, testcontainers) and compose's `kafka`."""
CA_FILE, KEYSTORE_FILE = "ca.pem", "broker.pem"


@dataclass(frozen=True)
class BrokerSecrets:
    directory: Path
    passwords: dict[str, str]
    """Every principal's password (PRINCIPALS)."""

    @property
    def ca_file(self) -> Path:
        return self.directory / CA_FILE

    @classmethod
    def generate(cls, directory: Path, hosts: Sequence[str] = CERTIFICATE_HOSTS) -> "BrokerSecrets":
        """New passwords, and a new CA and broker certificate (PEM) in `directory`."""
        directory.mkdir(parents=True, exist_ok=True)
        ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lottery platform Kafka CA")])
        ca = _certificate(ca_name, ca_name, ca_key, ca_key.public_key(), is_ca=True, hosts=())
        broker_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kafka")])
        cert = _certificate(broker_name, ca_name, ca_key, key.public_key(), is_ca=False, hosts=hosts)
        pem = serialization.Encoding.PEM
        (directory / CA_FILE).write_bytes(ca.public_bytes(pem))
        # Kafka's PEM keystore: the unencrypted PKCS#8 key, then the chain. Readable by the broker's user only
        # (compose: see README, the image's user must be able to read it).
        keystore = directory / KEYSTORE_FILE
        keystore.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
                             + cert.public_bytes(pem) + ca.public_bytes(pem))
        keystore.chmod(0o600)
        return cls(directory, {name: secrets.token_hex(24) for name in PRINCIPALS})

    def access(self, bootstrap_servers: str, principal: str = OPS) -> KafkaAccess:
        return KafkaAccess(bootstrap_servers, "SASL_SSL", principal, SecretStr(self.passwords[principal]),
                           str(self.ca_file))

    def scram_arguments(self) -> list[str]:
        """For `StorageTool format`: every SCRAM principal (all but the controller's PLAIN user)."""
        return [argument for name, password in self.passwords.items()
                for argument in ("--add-scram", f"SCRAM-SHA-512=[name={name},password={password}]")]

    def client_properties(self, secrets_dir: str, principal: str = OPS) -> str:
        """A Java client's settings (`--command-config` of Kafka's tools) as `principal`."""
        return "\n".join([
            "security.protocol=SASL_SSL",
            "sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
            f'username="{principal}" password="{self.passwords[principal]}";',
            "ssl.truststore.type=PEM",
            f"ssl.truststore.location={secrets_dir}/{CA_FILE}",
            "",
        ])

    def properties(self, *, client: str, advertised: str, internal: str, controller: str, secrets_dir: str) -> str:
        """The security part of server.properties. `client`/`advertised`: host:port where clients connect;
        `internal`: the broker's own listener (inter-broker), `controller`: the controller's; `secrets_dir`: this
        directory as the broker sees it."""
        broker_password = self.passwords[BROKER]
        scram = (f'org.apache.kafka.common.security.scram.ScramLoginModule required username="{BROKER}" '
                 f'password="{broker_password}";')
        plain = (f'org.apache.kafka.common.security.plain.PlainLoginModule required username="{BROKER}" '
                 f'password="{broker_password}" user_{BROKER}="{broker_password}";')
        return "\n".join([
            f"listeners=CLIENT://{client},BROKER://{internal},CONTROLLER://{controller}",
            f"advertised.listeners=CLIENT://{advertised},BROKER://{internal}",
            "listener.security.protocol.map=CLIENT:SASL_SSL,BROKER:SASL_SSL,CONTROLLER:SASL_SSL",
            "inter.broker.listener.name=BROKER",
            "controller.listener.names=CONTROLLER",
            "sasl.enabled.mechanisms=SCRAM-SHA-512",
            "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
            "sasl.mechanism.controller.protocol=PLAIN",
            "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
            f"listener.name.controller.plain.sasl.jaas.config={plain}",
            f"listener.name.broker.scram-sha-512.sasl.jaas.config={scram}",
            f"listener.name.client.scram-sha-512.sasl.jaas.config={scram}",
            f"sasl.jaas.config={plain}",  # what the broker presents to the controller listener
            "ssl.keystore.type=PEM",
            f"ssl.keystore.location={secrets_dir}/{KEYSTORE_FILE}",
            "ssl.truststore.type=PEM",
            f"ssl.truststore.location={secrets_dir}/{CA_FILE}",
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            f"super.users=User:{OPS};User:{BROKER}",
            "allow.everyone.if.no.acl.found=false",
        ])


def _certificate(subject: x509.Name, issuer: x509.Name, signing_key: ec.EllipticCurvePrivateKey,
                 public_key: ec.EllipticCurvePublicKey, *, is_ca: bool, hosts: Sequence[str]) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=825))
               .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True))
    if hosts:
        names: list[x509.GeneralName] = [x509.IPAddress(ip_address(host)) if _is_address(host) else x509.DNSName(host)
                                         for host in hosts]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def _is_address(host: str) -> bool:
    try:
        ip_address(host)
        return True
    except ValueError:
        return False
