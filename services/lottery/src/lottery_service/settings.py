from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from platform_shared.settings import ServiceSettings


class LotterySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LOTTERY_")

    draw_server_secret: SecretStr = Field(min_length=16)
    """Part of every draw seed; never logged, published or returned (SPEC §3)."""
