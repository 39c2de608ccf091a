from pydantic_settings import SettingsConfigDict

from platform_shared.settings import ServiceSettings


class WaitlistSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WAITLIST_")
