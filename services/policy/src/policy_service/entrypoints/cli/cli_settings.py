"""What the `policy-admin` commands read from the environment (the policy service's own variables), and
the database they work on, migrated first as the service would migrate it."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.db.engine import create_engine, session_factory
from platform_shared.service.migrations import grant_runtime_access, upgrade_to_head

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
"""The service's own revisions (policy_service/migrations), applied as `policy-service` applies them."""


class CliSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", hide_input_in_errors=True)

    database_url: SecretStr = Field(validation_alias="POLICY_DATABASE_URL")
    migration_database_url: SecretStr | None = Field(default=None, validation_alias="POLICY_MIGRATION_DATABASE_URL")
    audit_key: SecretStr = Field(min_length=32, validation_alias="POLICY_AUDIT_KEY")
    """The policy service's audit key: what these commands do is audited, sealed as the service seals it."""
    clock_offset_seconds: float = Field(default=0.0, validation_alias="POLICY_CLOCK_OFFSET_SECONDS")
    admin_token_jwks: str = Field(default="", validation_alias="ADMIN_TOKEN_JWKS")
    """This installation's public keys: a restore accepts only files signed with one of them."""
    token_signing_key: SecretStr | None = Field(default=None, validation_alias="POLICY_TOKEN_SIGNING_KEY")
    """Signs an on-demand backup, as the service signs its scheduled ones."""
    token_key_id: str | None = Field(default=None, validation_alias="POLICY_TOKEN_KEY_ID")


@asynccontextmanager
async def migrated_database(settings: CliSettings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    url = settings.database_url.get_secret_value()
    owner = settings.migration_database_url.get_secret_value() if settings.migration_database_url else url
    await asyncio.to_thread(upgrade_to_head, MIGRATIONS, owner)
    await asyncio.to_thread(grant_runtime_access, owner, url)
    engine = create_engine(url)
    try:
        yield session_factory(engine, audit_key=settings.audit_key.get_secret_value().encode())
    finally:
        await engine.dispose()
