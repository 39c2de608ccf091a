"""How a Kafka client reaches the broker and proves who it is: the one place that turns configuration into the
keyword arguments of aiokafka's clients and of FastStream's `KafkaBroker`. Every client in the project (the
services, the launcher's tools, the tests and benchmarks) is built through it, so none can forget the
credentials or the CA.

The platform's brokers take SASL/SCRAM-SHA-512 over TLS (`SASL_SSL`); each service is its own principal with
ACLs (deploy/, contracts/topic_access.py). PLAINTEXT remains for a broker of one's own without security."""

import ssl
from dataclasses import dataclass, replace
from typing import Any, Literal, cast, get_args

from faststream.security import BaseSecurity, SASLScram512
from pydantic import SecretStr

SecurityProtocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"]
SASL_MECHANISM = "SCRAM-SHA-512"


@dataclass(frozen=True)
class KafkaAccess:
    bootstrap_servers: str
    security_protocol: SecurityProtocol = "PLAINTEXT"
    username: str | None = None
    password: SecretStr | None = None
    ca_file: str | None = None
    """The CA that signed the broker's certificate (PEM); None: the system's trusted CAs."""

    def __post_init__(self) -> None:
        if self.sasl and (not self.username or self.password is None):
            raise ValueError(f"Kafka security protocol {self.security_protocol} needs a username and a password")

    @property
    def sasl(self) -> bool:
        return self.security_protocol.startswith("SASL_")

    def as_principal(self, username: str, password: str) -> "KafkaAccess":
        """The same broker as another principal."""
        return replace(self, username=username, password=SecretStr(password))

    def ssl_context(self) -> ssl.SSLContext | None:
        if self.security_protocol != "SASL_SSL":
            return None
        return ssl.create_default_context(cafile=self.ca_file)  # verifies the broker's name against its certificate

    def client_kwargs(self) -> dict[str, Any]:
        """For AIOKafkaProducer, AIOKafkaConsumer, AIOKafkaAdminClient and AIOKafkaClient."""
        kwargs: dict[str, Any] = {"bootstrap_servers": self.bootstrap_servers,
                                  "security_protocol": self.security_protocol}
        if self.sasl and self.password is not None:
            kwargs |= {"sasl_mechanism": SASL_MECHANISM, "sasl_plain_username": self.username,
                       "sasl_plain_password": self.password.get_secret_value()}
        if (context := self.ssl_context()) is not None:
            kwargs["ssl_context"] = context
        return kwargs

    def broker_security(self) -> BaseSecurity | None:
        """For FastStream's `KafkaBroker(bootstrap_servers, security=…)`."""
        if not self.sasl or self.username is None or self.password is None:
            return None
        return SASLScram512(self.username, self.password.get_secret_value(), ssl_context=self.ssl_context(),
                            use_ssl=self.security_protocol == "SASL_SSL")

    def broker_kwargs(self) -> dict[str, Any]:
        """For FastStream's `KafkaBroker(**…)`: the bootstrap servers and the security."""
        return {"bootstrap_servers": self.bootstrap_servers, "security": self.broker_security()}

    def environment(self, prefix: str = "") -> dict[str, str]:
        """The variables a process reads this from (`ServiceSettings`, `from_environment`): the bootstrap
        servers, protocol and CA unprefixed, the principal as `<prefix>KAFKA_USERNAME`/`…PASSWORD`."""
        env = {"KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers, "KAFKA_SECURITY_PROTOCOL": self.security_protocol}
        if self.ca_file:
            env["KAFKA_CA_FILE"] = self.ca_file
        if self.username and self.password is not None:
            env |= {f"{prefix}KAFKA_USERNAME": self.username,
                    f"{prefix}KAFKA_PASSWORD": self.password.get_secret_value()}
        return env

    @classmethod
    def from_environment(cls, env: dict[str, str], prefix: str = "") -> "KafkaAccess | None":
        """From `environment`'s variables; None without KAFKA_BOOTSTRAP_SERVERS."""
        if not (bootstrap := env.get("KAFKA_BOOTSTRAP_SERVERS")):
            return None
        password = env.get(f"{prefix}KAFKA_PASSWORD")
        protocol = env.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
        if protocol not in get_args(SecurityProtocol):
            raise ValueError(f"KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SASL_PLAINTEXT or SASL_SSL, not {protocol!r}")
        return cls(bootstrap, cast(SecurityProtocol, protocol), env.get(f"{prefix}KAFKA_USERNAME"),
                   SecretStr(password) if password is not None else None, env.get("KAFKA_CA_FILE") or None)
