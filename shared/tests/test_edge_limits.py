from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import BaseModel

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

    @app.post("/parsed")
    async def parsed(body: Padding) -> dict[str, int]:
        return {"bytes": len(body.padding)}

    install_body_limit(app, {("POST", "/edge"): EDGE, ("POST", "/admin"): role(Role.ADMIN),
                             ("POST", "/parsed"): EDGE},
                       edge_bytes=1024, admin_bytes=1 << 20, operator=lambda token: token == OPERATOR)
    return app


class Padding(BaseModel):
    padding: str


OPERATOR = "an-operators-token"


async def chunks(total: int) -> AsyncIterator[bytes]:
    for _ in range(total // 512):
        yield b"x" * 512


@pytest.mark.parametrize(("path", "token", "body", "status"), [
    ("/edge", None, b"x" * 1024, 200),
    ("/edge", None, b"x" * 1025, 413),
    ("/admin", OPERATOR, b"x" * 100_000, 200),
    ("/admin", None, b"x" * 1025, 413),
    ("/admin", "a-forged-token", b"x" * 1025, 413),
    ("/edge", OPERATOR, b"x" * 1025, 413),
])
async def test_a_body_over_its_routes_limit_is_413(path: str, token: str | None, body: bytes, status: int) -> None:
    """Identity before body: the admin room is for a verified operator's token, not for the path alone."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_with_limits()), base_url="http://t") as c:
        assert (await c.post(path, content=body, headers=headers)).status_code == status


async def test_a_body_without_a_length_is_counted_as_it_arrives() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_with_limits()), base_url="http://t") as c:
        answer = await c.post("/edge", content=chunks(4096))
    assert answer.status_code == 413 and "over 1024 bytes" in answer.text


async def test_a_chunked_body_a_route_would_parse_is_413_not_the_routes_400() -> None:
    async def json_chunks() -> AsyncIterator[bytes]:
        yield b'{"padding": "'
        async for chunk in chunks(4096):
            yield chunk
        yield b'"}'

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_with_limits()), base_url="http://t") as c:
        answer = await c.post("/parsed", content=json_chunks(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and "over 1024 bytes" in answer.text
