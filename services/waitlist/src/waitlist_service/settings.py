from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from platform_shared.service.settings import ServiceSettings


class WaitlistSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WAITLIST_")

    promotion_interval_seconds: float | None = Field(default=None, gt=0)
    """Overrides the policy's promotion interval (minutes) for the scheduler; for ops and tests."""
    offer_link_secret: SecretStr = Field(min_length=32, validation_alias="OFFER_LINK_SECRET")
    """Signs the one-time answer links of offers (SPEC §9); the notifier holds the same one, nobody else.
    Distinct per deployment; never logged, published or returned."""
