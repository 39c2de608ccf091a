from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from platform_shared.contracts.events import RESULTS_PER_PART
from platform_shared.service.settings import ServiceSettings


class LotterySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LOTTERY_")

    draw_server_secret: SecretStr = Field(min_length=16)
    """Part of every draw seed; never logged, published or returned (SPEC §3)."""
    adgate_secret: SecretStr = Field(min_length=16)
    """Shared with the sponsor landing, which signs the entrant's return with it (seed §5)."""
    adgate_return_validity_seconds: int = Field(default=600, ge=10, le=86400)
    """How long after the visit its signed return is accepted."""
    results_per_part: int = Field(default=RESULTS_PER_PART, ge=1, le=RESULTS_PER_PART)
    """Ranked entrants per draw_completed message (smaller in tests, to make many messages)."""
