from pydantic_settings import SettingsConfigDict

from platform_shared.service.settings import ServiceSettings


class PolicySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="POLICY_")
