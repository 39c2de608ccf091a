"""The one way a service process starts: migrate its database, then serve HTTP + Kafka."""

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import uvicorn
from fastapi import FastAPI

from platform_shared.db.migrations import grant_runtime_access, upgrade_to_head
from platform_shared.service.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)


def serve(settings: S, migrations_dir: Path, build_app: Callable[[S], FastAPI]) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    runtime = settings.database_url.get_secret_value()
    owner = settings.migration_database_url.get_secret_value() if settings.migration_database_url else runtime
    upgrade_to_head(migrations_dir, owner)
    grant_runtime_access(owner, runtime)
    uvicorn.run(build_app(settings), host=settings.http_host, port=settings.http_port, log_level="warning")
