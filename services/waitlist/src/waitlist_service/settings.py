from pydantic import Field
from pydantic_settings import SettingsConfigDict

from platform_shared.service.settings import ServiceSettings


class WaitlistSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WAITLIST_")

    promotion_interval_seconds: float | None = Field(default=None, gt=0)
    """Overrides the policy's promotion interval (minutes) for the scheduler; for ops and tests."""
