"""The one way a service process starts: migrate its database, then serve HTTP + Kafka."""

import logging
from collections.abc import Callable
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from platform_shared.migrations import upgrade_to_head
from platform_shared.settings import ServiceSettings


def serve(settings: ServiceSettings, migrations_dir: Path, build_app: Callable[[ServiceSettings], FastAPI]) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    upgrade_to_head(migrations_dir, settings.database_url.get_secret_value())
    uvicorn.run(build_app(settings), host=settings.http_host, port=settings.http_port, log_level="warning")
