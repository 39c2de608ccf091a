import math
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from notifier_service.domain.vendor_call import RECORDING_MARGIN
from platform_shared.service.settings import ServiceSettings


class NotifierSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFIER_")

    vendor_url: str = "http://127.0.0.1:18080"
    vendor_timeout_seconds: float = Field(default=5.0, gt=0)
    """The whole vendor call, and never past 22:00 (domain/vendor_call.py)."""
    send_batch_size: int = Field(default=1000, ge=1, le=5000)
    send_concurrency: int = Field(default=8, ge=1, le=64)
    """Vendor calls in flight at once."""
    vendor_batch_size: int = Field(default=200, ge=1, le=1000)
    send_poll_seconds: float = Field(default=0.2, gt=0)
    claim_lease_seconds: float = Field(default=30.0, gt=0)
    """A claimed notification whose sender died is taken over after this; must outlast a whole round."""
    offer_link_base: str = Field(pattern=r"^https?://\S+$")
    """The public URL of the waitlist's offers, e.g. https://lottery.example/offers: offer messages link to
    `<this>/{offer_id}/link?sig=…` (SPEC §9)."""
    offer_link_secret: SecretStr = Field(min_length=32, validation_alias="OFFER_LINK_SECRET")
    """Signs those links, the same as the waitlist's; never logged, published, stored or returned."""
    vendor_probe_seconds: float = Field(default=5.0, gt=0, le=300)
    """How often the vendor's status is checked (runbook §6.3)."""
    smtp_host: str | None = None
    """The mail server for e-mail notices (seed §1); unset: e-mail notifications are undeliverable, with why."""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    """Never logged, published, stored or returned."""
    smtp_starttls: bool = False
    smtp_from: str = Field(default="no-reply@lottery.example", pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    @model_validator(mode="after")
    def _lease_outlasts_a_round(self) -> Self:
        calls = math.ceil(self.send_batch_size / self.vendor_batch_size / self.send_concurrency)
        needed = calls * self.vendor_timeout_seconds + RECORDING_MARGIN.total_seconds()
        if self.claim_lease_seconds <= needed:
            raise ValueError(f"claim_lease_seconds must exceed {calls} vendor calls x vendor_timeout_seconds "
                             f"+ {RECORDING_MARGIN.total_seconds():g} s to record ({needed:g} s), or the last "
                             "calls of a round are cut short")
        return self
