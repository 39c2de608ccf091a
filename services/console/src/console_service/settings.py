"""The console's settings, read from the environment at start-up (`CONSOLE_…`)."""

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    # hide_input_in_errors: a refused session key must not be echoed into the log by its validation error.
    model_config = SettingsConfigDict(env_prefix="CONSOLE_", extra="ignore", frozen=True, hide_input_in_errors=True)

    http_host: str = "127.0.0.1"
    http_port: int = 8080
    session_key: SecretStr
    """32 bytes in hex: encrypts and authenticates the session cookie (AES-GCM), which carries the operator's
    access token. Only the console holds it; a new key signs everyone out."""
    policy_url: str
    lottery_url: str
    waitlist_url: str
    notifier_url: str
    """Each service's admin API, as the console reaches it (http://host:port)."""
    secure_cookies: bool = True
    """The session cookie's `Secure` flag. Browsers accept Secure cookies from http://127.0.0.1 and localhost,
    so only a console reached by another plain-http name needs it off (never in production)."""
    session_hours: float = Field(default=12.0, gt=0, le=24)
    """How long a sign-in lasts at most (a working day); the services' own token rules still apply."""
    clock_offset_seconds: float = 0.0
    """Moves this process's clock (tests and drills only; 0 in production)."""
    clock_file: Path | None = None
    """A file holding the clock's offset, which a drill rewrites to move the whole fleet at once (tests and drills
    only; unset in production). Wins over `clock_offset_seconds`."""
    service_timeout_seconds: float = Field(default=30.0, gt=0)

    @field_validator("session_key")
    @classmethod
    def thirty_two_bytes_in_hex(cls, key: SecretStr) -> SecretStr:
        value = key.get_secret_value()
        if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
            raise ValueError("CONSOLE_SESSION_KEY must be 32 bytes in hex (64 characters 0-9a-f)")
        return key

    def service_urls(self) -> dict[str, str]:
        return {"policy": self.policy_url, "lottery": self.lottery_url, "waitlist": self.waitlist_url,
                "notifier": self.notifier_url}
