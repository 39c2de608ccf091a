"""A stand-in for the SMS/Kakao vendor: a real HTTP server on loopback that tests and the demo start,
and that can be told to fail, be slow, answer 429 with Retry-After, or reject recipients.

    python -m platform_deploy.fake_vendor --port 18080

Like real messaging APIs it honours an `Idempotency-Key` header: a repeated key is answered 200
again but delivered once. It counts both requests and deliveries per key, so tests can prove
"exactly once" without trusting the sender.
"""

import argparse
import asyncio
import random
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import uvicorn
from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field


class Behaviour(BaseModel):
    fail_next: int = Field(default=0, ge=0, description="answer 500 to this many requests")
    rate_limit_next: int = Field(default=0, ge=0, description="answer 429 to this many requests")
    retry_after_seconds: float = Field(default=1.0, ge=0)
    failure_rate: float = Field(default=0.0, ge=0, le=1, description="answer 500 with this probability")
    slow_seconds: float = Field(default=0.0, ge=0, description="wait this long before answering")
    reject_recipients: list[str] = Field(default_factory=list, description="answer 400 for these users")


def create_app(seed: int = 0) -> FastAPI:
    app = FastAPI(title="fake messaging vendor")
    state: dict[str, Any] = {"behaviour": Behaviour(), "rng": random.Random(seed)}
    requests: Counter[str] = Counter()
    deliveries: Counter[str] = Counter()
    delivered_at: dict[str, str] = {}

    @app.post("/v1/messages")
    async def send_message(request: Request, idempotency_key: str = Header()) -> JSONResponse:
        body = await request.json()
        behaviour: Behaviour = state["behaviour"]
        requests[idempotency_key] += 1
        if behaviour.slow_seconds:
            await asyncio.sleep(behaviour.slow_seconds)
        if body.get("to") in behaviour.reject_recipients:
            return JSONResponse({"error": "invalid recipient"}, status_code=400)
        if behaviour.rate_limit_next > 0:
            behaviour.rate_limit_next -= 1
            return JSONResponse({"error": "slow down"}, status_code=429,
                                headers={"Retry-After": str(behaviour.retry_after_seconds)})
        if behaviour.fail_next > 0 or state["rng"].random() < behaviour.failure_rate:
            behaviour.fail_next = max(0, behaviour.fail_next - 1)
            return JSONResponse({"error": "vendor trouble"}, status_code=500)
        if idempotency_key not in deliveries:
            deliveries[idempotency_key] += 1
            delivered_at[idempotency_key] = datetime.now(UTC).isoformat()
        return JSONResponse({"message_id": idempotency_key, "status": "accepted"})

    @app.put("/_behaviour")
    async def set_behaviour(behaviour: Behaviour) -> Behaviour:
        state["behaviour"] = behaviour
        return behaviour

    @app.get("/_deliveries")
    async def report() -> dict[str, Any]:
        return {"requests": dict(requests), "deliveries": dict(deliveries), "delivered_at": delivered_at}

    @app.post("/_reset")
    async def reset() -> None:
        state["behaviour"] = Behaviour()
        requests.clear()
        deliveries.clear()
        delivered_at.clear()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
