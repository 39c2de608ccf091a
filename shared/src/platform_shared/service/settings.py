"""Settings every service shares; each service subclasses this with its own env prefix."""

from ipaddress import ip_network
from pathlib import Path
from typing import Self

from limits import parse
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from platform_shared.auth.record_signatures import PublishedKeys, RecordSigner
from platform_shared.messaging.kafka_client import KafkaAccess, SecurityProtocol


class ServiceSettings(BaseSettings):
    """Read from the environment at start-up and validated there, never at import time."""

    # hide_input_in_errors: a refused secret must not be echoed into the log by its validation error.
    model_config = SettingsConfigDict(extra="ignore", frozen=True, hide_input_in_errors=True)

    # A plain (static) alias, so the unprefixed variable is read whatever the subclass's env_prefix.
    kafka_bootstrap_servers: str = Field(default="127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    kafka_security_protocol: SecurityProtocol = Field(default="PLAINTEXT", validation_alias="KAFKA_SECURITY_PROTOCOL")
    """SASL_SSL on the platform's brokers (SCRAM-SHA-512 over TLS); PLAINTEXT only for a broker without security."""
    kafka_ca_file: str | None = Field(default=None, validation_alias="KAFKA_CA_FILE")
    """The CA (PEM) that signed the broker's certificate; unset: the system's trusted CAs."""
    kafka_username: str | None = None
    """This service's own Kafka principal (`<SERVICE>_KAFKA_USERNAME`): its ACLs allow only its topics and groups."""
    kafka_password: SecretStr | None = None
    database_url: SecretStr
    """asyncpg URL of this service's own database as its runtime role, e.g.
    postgresql+asyncpg://lottery_runtime:…@h:5432/lottery."""
    migration_database_url: SecretStr | None = None
    """The same database as its owner role, for migrations (then the runtime role is granted what it
    needs, and on the audit log only INSERT and SELECT). Unset: database_url migrates too."""
    audit_key: SecretStr | None = Field(default=None, min_length=32)
    """Seals every audit record (`<SERVICE>_AUDIT_KEY`, at least 32 characters; audit/chain.py): only this
    process holds it, no database role, so a role that may write the audit log still cannot forge a record.
    Required to start; keep it with the service's other secrets (rotating it means verifying with the old one)."""
    event_signing_key: SecretStr | None = None
    """This service's Ed25519 key (32 bytes, base64; `<SERVICE>_EVENT_SIGNING_KEY`) signing the control
    records it writes: audit anchors, and the policy service's policy snapshots and admin accounts.
    Required to start (`platform service-keys` makes one per service)."""
    event_keys: str = Field(default="", validation_alias="EVENT_KEYS")
    """Every service's public key, a JSON object service → 32 bytes in base64: a control record is applied
    only when the service allowed to write it signed it (auth/record_signatures.py). Required to start."""
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    outbox_poll_seconds: float = Field(default=0.1, gt=0)
    status_interval_seconds: float = Field(default=5.0, gt=0)
    """How often this process reports the policy version it runs on (service_status)."""
    outbox_batch_size: int = Field(default=500, ge=1)
    consumer_max_attempts: int = Field(default=3, ge=1)
    consumer_retry_delay_seconds: float = Field(default=0.2, ge=0)
    consumer_control_interval_seconds: float = Field(default=2.0, gt=0)
    """How often each replica re-reads ops' consumer pauses and reports its own state."""
    dead_letter_max_redrives: int = Field(default=2, ge=1, le=20)
    """A record dead-lettered after this many redrives is not sent back again: it needs a person."""
    clock_offset_seconds: float = 0.0
    """Moves this process's clock (tests and drills only; 0 in production)."""
    clock_file: Path | None = None
    """A file holding the clock's offset, which a drill rewrites to move the whole fleet at once (tests and drills
    only; unset in production). Wins over `clock_offset_seconds`."""
    admin_token_jwks: str = Field(default="", validation_alias="ADMIN_TOKEN_JWKS")
    """The policy service's public token keys (a JWKS document): every service verifies admin access
    tokens with them, locally. Empty: no token is accepted, so only public routes answer."""
    # Kakao login for entrants (SPEC §9): plain aliases like ADMIN_TOKEN_JWKS, one issuer for the whole fleet.
    kakao_issuer: str = Field(default="", validation_alias="KAKAO_ISSUER")
    """The OpenID Connect issuer, exactly as its ID tokens' `iss` (https://kauth.kakao.com); its discovery
    document names the keys and the token endpoint. Empty: Kakao login is not configured (entrant routes 503)."""
    kakao_app_key: str = Field(default="", validation_alias="KAKAO_APP_KEY")
    """The app key: the `aud` of every ID token accepted, and the client id of the code exchange."""
    kakao_client_secret: SecretStr | None = Field(default=None, validation_alias="KAKAO_CLIENT_SECRET")
    """Sent with the code exchange when the app has one."""
    kakao_jwks_min_refresh_seconds: float = Field(default=10.0, gt=0, validation_alias="KAKAO_JWKS_MIN_REFRESH_SECONDS")
    """The least time between two fetches of the issuer's keys (tokens naming unknown keys cannot hammer it)."""
    kakao_timeout_seconds: float = Field(default=5.0, gt=0, validation_alias="KAKAO_TIMEOUT_SECONDS")
    """How long a call to the issuer may take before it counts as an outage."""
    kakao_window_seconds: int = Field(default=60, ge=10, le=3600, validation_alias="KAKAO_WINDOW_SECONDS")
    """The width of the time windows login failures are counted in for the outage report (seed §9.3); it divides
    an hour, so every window starts on a whole minute (KST as UTC)."""
    kakao_report_seconds: float = Field(default=5.0, gt=0, le=300, validation_alias="KAKAO_REPORT_SECONDS")
    """How often a replica reports the windows that changed (kakao/health_report.py)."""

    @field_validator("kakao_window_seconds")
    @classmethod
    def _divides_an_hour(cls, value: int) -> int:
        if 3600 % value:
            raise ValueError("must divide an hour (3600 seconds), e.g. 60 or 300")
        return value

    # Abuse limits on the entrant edge (web/edge.py): plain aliases, one policy for the whole fleet.
    edge_max_body_bytes: int = Field(default=16 * 1024, ge=1024, validation_alias="EDGE_MAX_BODY_BYTES")
    """Largest request body on public and entrant routes (413 beyond)."""
    admin_max_body_bytes: int = Field(default=64 * 1024 * 1024, ge=1024, validation_alias="ADMIN_MAX_BODY_BYTES")
    """Largest request body on admin routes (bulk imports of up to 100,000 entries)."""
    edge_rate_per_address: str = Field(default="120/minute", validation_alias="EDGE_RATE_PER_ADDRESS")
    """Requests to edge routes per client address and replica (the `limits` notation; 429 beyond)."""
    edge_rate_per_entrant: str = Field(default="60/minute", validation_alias="EDGE_RATE_PER_ENTRANT")
    """Requests to entrant routes per logged-in entrant and replica."""
    trusted_proxies: str = Field(default="", validation_alias="TRUSTED_PROXIES")
    """The reverse proxies whose `X-Forwarded-For` names the client, comma-separated addresses or networks
    (`10.0.0.5,10.1.0.0/16`). Empty (the default): none, the client is always the TCP peer, so a header a
    caller types cannot move them to another address's limits."""

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: str) -> str:
        for part in filter(None, (part.strip() for part in value.split(","))):
            try:
                ip_network(part, strict=False)
            except ValueError as error:
                raise ValueError(f"not an address or network: {part!r}") from error
        return value

    def kafka_access(self) -> KafkaAccess:
        return KafkaAccess(self.kafka_bootstrap_servers, self.kafka_security_protocol, self.kafka_username,
                           self.kafka_password, self.kafka_ca_file)

    def required_audit_key(self) -> bytes:
        if self.audit_key is None:
            raise ValueError(f"set {self._prefix()}AUDIT_KEY (at least 32 characters): every audit record is "
                             "sealed with it")
        return self.audit_key.get_secret_value().encode()

    def record_signer(self, service: str) -> RecordSigner:
        if self.event_signing_key is None:
            raise ValueError(f"set {self._prefix()}EVENT_SIGNING_KEY: the control records this service writes are "
                             "signed with it ('platform service-keys' makes the keys)")
        return RecordSigner.from_base64(service, self.event_signing_key.get_secret_value())

    def published_keys(self) -> PublishedKeys:
        if not self.event_keys.strip():
            raise ValueError("set EVENT_KEYS: control records are applied only when their service's published key "
                             "verifies them ('platform service-keys' makes the keys)")
        return PublishedKeys.from_json(self.event_keys)

    def _prefix(self) -> str:
        return str(self.model_config.get("env_prefix", "")).upper()

    def proxies(self) -> list[str]:
        return [part.strip() for part in self.trusted_proxies.split(",") if part.strip()]

    @field_validator("edge_rate_per_address", "edge_rate_per_entrant")
    @classmethod
    def _a_rate(cls, value: str) -> str:
        try:
            parse(value)
        except ValueError as error:
            raise ValueError(f"not a rate such as '120/minute': {value!r}") from error
        return value

    @model_validator(mode="after")
    def _sasl_needs_a_principal(self) -> Self:
        if self.kafka_security_protocol.startswith("SASL_") and not (self.kafka_username and self.kafka_password):
            raise ValueError(f"KAFKA_SECURITY_PROTOCOL is {self.kafka_security_protocol}: set {self._prefix()}"
                             f"KAFKA_USERNAME and {self._prefix()}KAFKA_PASSWORD")
        return self

    @model_validator(mode="after")
    def _kakao_needs_an_app_key(self) -> Self:
        if self.kakao_issuer and not self.kakao_app_key:
            raise ValueError("KAKAO_ISSUER is set without KAKAO_APP_KEY: ID tokens could not be checked for their app")
        return self
