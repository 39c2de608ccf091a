"""The floor of an authenticated entry on this stack: one FastAPI route on uvicorn that verifies
an RS256 token with PyJWT and stores one row with one asyncpg statement, and nothing else — no middleware,
no policy, no preconditions, no limiter, no ORM. benchmarks/entry_floor.py runs it under the same wrk load
as the real service; whatever it reaches, the service cannot beat on the same machine.

Environment: FLOOR_DATABASE_URL (postgresql://…), FLOOR_PUBLIC_KEY (PEM), FLOOR_AUDIENCE.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import jwt
from fastapi import FastAPI, Header, HTTPException

PUBLIC_KEY = os.environ["FLOOR_PUBLIC_KEY"]
AUDIENCE = os.environ["FLOOR_AUDIENCE"]
INSERT = ("INSERT INTO floor_entries (campaign_id, kakao_user_id) VALUES ($1, $2) "
          "ON CONFLICT DO NOTHING RETURNING id")
pool: asyncpg.Pool | None = None


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    global pool
    pool = await asyncpg.create_pool(os.environ["FLOOR_DATABASE_URL"], min_size=20, max_size=20)
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)


@app.post("/campaigns/{campaign_id}/entry", status_code=201)
async def enter(campaign_id: str, authorization: str = Header()) -> dict[str, int]:
    try:
        claims = jwt.decode(authorization.removeprefix("Bearer "), PUBLIC_KEY, algorithms=["RS256"],
                            audience=AUDIENCE)
    except jwt.InvalidTokenError as error:
        raise HTTPException(401, "invalid token") from error
    assert pool is not None
    entry_id = await pool.fetchval(INSERT, campaign_id, int(claims["sub"]))
    if entry_id is None:
        raise HTTPException(409, "already entered")
    return {"id": entry_id}
