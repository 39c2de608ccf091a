"""`/health` (database and Kafka actually checked) and `/metrics` (Prometheus) for every service."""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.messaging.policy_cache import current_policy
from platform_shared.observability.metrics import BusinessMetrics


def health_router(name: str, sessions: async_sessionmaker[AsyncSession], broker: KafkaBroker,
                  asyncapi_document: Callable[[], dict[str, Any]], metrics: BusinessMetrics) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/health")
    async def health() -> JSONResponse:
        """Up only if this service reaches its database and the Kafka broker."""
        checks: dict[str, object] = {"service": name}
        try:
            async with sessions() as session:
                await session.execute(text("SELECT 1"))
                checks["policy_version"], _ = await current_policy(session)
            checks["database"] = "ok"
        except Exception as error:
            checks["database"] = f"error: {type(error).__name__}"
        checks["kafka"] = "ok" if await broker.ping(timeout=2.0) else "unreachable"
        healthy = checks["database"] == "ok" and checks["kafka"] == "ok"
        return JSONResponse({"status": "ok" if healthy else "degraded", **checks},
                            status_code=200 if healthy else 503)

    @router.get("/asyncapi.json")
    async def asyncapi() -> JSONResponse:
        """The topics this service consumes and publishes, with their schemas (AsyncAPI 3)."""
        return JSONResponse(asyncapi_document())

    @router.get("/metrics")
    async def prometheus_metrics() -> Response:
        """Prometheus text: the process, and the business metrics (observability/metrics.py)."""
        await metrics.refresh()
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
