from pathlib import Path

from limits import parse
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from platform_shared.service.settings import ServiceSettings
from policy_service.domain.backups import parse_schedule


class PolicySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="POLICY_")

    token_signing_key: SecretStr
    """PEM of the Ed25519 private key admin access tokens are signed with (the policy service owns admin
    identity); its public half is what every service's ADMIN_TOKEN_JWKS holds."""
    token_key_id: str
    """The key's `kid`, as in the JWKS."""
    backup_directory: Path | None = None
    """Where the policy history backups are written (seed §15); unset: no backups."""
    backup_keep_days: int = Field(default=30, ge=1)
    """Scheduled backups of the last this many days (KST dates) are kept; older ones are deleted."""
    backup_schedule: str = "0 3 * * *"
    """Five-field cron expression, read as wall-clock time in Asia/Seoul."""
    login_rate_per_address: str = "30/minute"
    """Attempts at `POST /auth/login` and `/auth/step-up` per client address (the TCP peer), per replica."""
    login_rate_per_name: str = "10/minute"
    """Attempts per typed account name, whether an account has it or not, per replica."""

    ops_incident_webhook_url: SecretStr | None = None
    """`#ops-incident`'s incoming webhook (seed §1; Slack-compatible); unset: posts are kept as not configured."""
    ops_incident_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    """How long one post may take before it counts as failed (and is retried)."""
    ops_incident_attempts: int = Field(default=5, ge=1, le=50)
    """Attempts of one post before it is failed for good (visible on the incident and in /metrics)."""
    ops_incident_retry_seconds: float = Field(default=5.0, gt=0, le=3600)
    """The wait after a post's first failure; it doubles after each next one (at most five minutes)."""
    ops_incident_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    """How often a replica looks for posts that are due."""

    @field_validator("login_rate_per_address", "login_rate_per_name")
    @classmethod
    def _a_rate(cls, value: str) -> str:
        try:
            parse(value)
        except ValueError as error:
            raise ValueError(f"not a rate such as '30/minute': {value!r}") from error
        return value

    @field_validator("backup_schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        return parse_schedule(value)
