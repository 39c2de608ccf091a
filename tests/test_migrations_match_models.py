"""`alembic check` for every service (issue 9): a model changed without a migration fails here, on a
real PostgreSQL migrated to head, rather than at the first query that needs the new column."""

import asyncio
import importlib
from pathlib import Path

import pytest

from platform_deploy.infra import SERVICES, Infrastructure
from platform_shared.service.migrations import check_models_match
from tests.support import fresh_database

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service", SERVICES)
async def test_the_migrations_create_what_the_models_describe(infrastructure: Infrastructure, service: str) -> None:
    migrations: Path = importlib.import_module(f"{service}_service.main").MIGRATIONS
    async with fresh_database(infrastructure, migrations, like=service) as url:
        await asyncio.to_thread(check_models_match, migrations, url)
