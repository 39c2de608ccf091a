from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from platform_shared.service.settings import ServiceSettings


class PolicySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="POLICY_")

    token_signing_key: SecretStr
    """PEM of the Ed25519 private key admin access tokens are signed with (the policy service owns admin
    identity); its public half is what every service's ADMIN_TOKEN_JWKS holds."""
    token_key_id: str
    """The key's `kid`, as in the JWKS."""
