from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request

from platform_shared.auth.access import EDGE, Role, role
from platform_shared.errors import TooManyAttemptsError
from platform_shared.web.edge import EdgeLimits, install_body_limit


async def test_an_address_and_an_entrant_are_each_held_to_their_rate() -> None:
    limits = EdgeLimits("2/minute", "1/minute")
    await limits.admit_address("10.0.0.1")
    await limits.admit_address("10.0.0.1")
    with pytest.raises(TooManyAttemptsError) as refused:
        await limits.admit_address("10.0.0.1")
    assert 1 <= refused.value.retry_after_seconds <= 60
    await limits.admit_address("10.0.0.2")  # another address has its own count
    await limits.admit_entrant(42)
    with pytest.raises(TooManyAttemptsError):
        await limits.admit_entrant(42)
    await limits.admit_entrant(43)


def app_with_limits() -> FastAPI:
    app = FastAPI()

    @app.post("/edge")
    async def edge(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    @app.post("/admin")
    async def admin(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    install_body_limit(app, {("POST", "/edge"): EDGE, ("POST", "/admin"): role(Role.ADMIN)},
                       edge_bytes=1024, admin_bytes=1 << 20)
    return app


async def chunks(total: int) -> AsyncIterator[bytes]:
    for _ in range(total // 512):
        yield b"x" * 512


@pytest.mark.parametrize(("path", "body", "status"), [
    ("/edge", b"x" * 1024, 200),
    ("/edge", b"x" * 1025, 413),
    ("/admin", b"x" * 100_000, 200),
])
async def test_a_body_over_its_routes_limit_is_413(path: str, body: bytes, status: int) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_with_limits()), base_url="http://t") as c:
        assert (await c.post(path, content=body)).status_code == status


async def test_a_body_without_a_length_is_counted_as_it_arrives() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_with_limits()), base_url="http://t") as c:
        answer = await c.post("/edge", content=chunks(4096))
    assert answer.status_code == 413 and "over 1024 bytes" in answer.text
