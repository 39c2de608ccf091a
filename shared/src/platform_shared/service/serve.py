"""The one way a service process starts: migrate its database, then serve HTTP + Kafka."""

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import uvicorn
from fastapi import FastAPI

from platform_shared.observability.logs import configure_logging
from platform_shared.service.migrations import grant_runtime_access, upgrade_to_head
from platform_shared.service.settings import ServiceSettings
from platform_shared.time.clock import process_clock

S = TypeVar("S", bound=ServiceSettings)


def serve(service: str, settings: S, migrations_dir: Path, build_app: Callable[[S], FastAPI]) -> None:
    configure_logging(service, process_clock(settings.clock_offset_seconds, settings.clock_file))
    runtime = settings.database_url.get_secret_value()
    owner = settings.migration_database_url.get_secret_value() if settings.migration_database_url else runtime
    upgrade_to_head(migrations_dir, owner)
    grant_runtime_access(owner, runtime)
    # log_config=None: uvicorn's own records go through the structured chain too. Forwarding headers count
    # only from the proxies configured: uvicorn's default trusts any from 127.0.0.1, so every local caller
    # could name its own address and escape the edge's per-address limits.
    proxies = settings.proxies()
    uvicorn.run(build_app(settings), host=settings.http_host, port=settings.http_port, log_level="warning",
                log_config=None, access_log=False, proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)
