from pydantic import Field
from pydantic_settings import SettingsConfigDict

from platform_shared.settings import ServiceSettings


class NotifierSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFIER_")

    vendor_url: str = "http://127.0.0.1:18080"
    vendor_timeout_seconds: float = Field(default=5.0, gt=0)
    send_batch_size: int = Field(default=200, ge=1, le=5000)
    send_concurrency: int = Field(default=4, ge=1, le=64)
    """Vendor calls in flight at once."""
    vendor_batch_size: int = Field(default=100, ge=1, le=1000)
    send_poll_seconds: float = Field(default=0.2, gt=0)
    claim_lease_seconds: float = Field(default=30.0, gt=0)
    """A claimed notification whose sender died is taken over after this; must exceed the vendor timeout."""
