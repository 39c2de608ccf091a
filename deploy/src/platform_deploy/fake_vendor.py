"""A stand-in for the SMS/Kakao vendor: a real HTTP server on loopback that tests and the demo start,
and that can be told to fail, be slow, answer 429 with Retry-After, or reject recipients.

    python -m platform_deploy.fake_vendor --port 18080

Like real messaging APIs it honours an idempotency key (a header for one message, a field per
message in the batch call): a repeated key is answered 200 again but delivered once. Per key it
counts what it was asked and what it would have delivered had it not deduplicated, so a test of
"sent exactly once" observes the sender, not the vendor's own protection (`GET /_deliveries`):
- `requests`: every message carrying the key, whatever the answer;
- `accepted`: every message answered 200, i.e. every delivery a vendor without idempotency would
  make: more than 1 means the sender sent the same notification twice;
- `deliveries`: what recipients actually got, deduplicated by key (at most 1).
What a recipient read is kept too, per key (`GET /_messages/{key}`): tests follow the links in it.
`GET /v1/status` is the vendor's health as its status page gives it (runbook §6.3): 503 while `down`.
"""

import argparse
import asyncio
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import uvicorn
from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field


class Behaviour(BaseModel):
    fail_next: int = Field(default=0, ge=0, description="answer 500 to this many requests")
    rate_limit_next: int = Field(default=0, ge=0, description="answer 429 to this many requests")
    retry_after_seconds: float = Field(default=1.0, ge=0)
    batch_rate_limit_next: int = Field(default=0, ge=0, description="answer 429 to this many whole batch calls")
    retry_after_as_date: bool = Field(default=False, description="Retry-After as an HTTP-date, not seconds")
    failure_rate: float = Field(default=0.0, ge=0, le=1, description="answer 500 with this probability")
    slow_seconds: float = Field(default=0.0, ge=0, description="wait this long before answering")
    reject_recipients: list[str] = Field(default_factory=list, description="answer 400 for these users")
    down: bool = Field(default=False, description="report an outage on GET /v1/status (503)")


def create_app(seed: int = 0) -> FastAPI:
    app = FastAPI(title="fake messaging vendor")
    state: dict[str, Any] = {"behaviour": Behaviour(), "rng": random.Random(seed)}
    requests: Counter[str] = Counter()
    accepted: Counter[str] = Counter()
    deliveries: Counter[str] = Counter()
    delivered_at: dict[str, str] = {}
    texts: dict[str, str] = {}

    def decide(key: str, to: str, text: str) -> tuple[int, dict[str, str]]:
        """One message's fate under the current behaviour; delivers it (once per key) on success."""
        behaviour: Behaviour = state["behaviour"]
        requests[key] += 1
        if to in behaviour.reject_recipients:
            return 400, {"error": "invalid recipient"}
        if behaviour.rate_limit_next > 0:
            behaviour.rate_limit_next -= 1
            return 429, {"retry_after": str(behaviour.retry_after_seconds)}
        if behaviour.fail_next > 0 or state["rng"].random() < behaviour.failure_rate:
            behaviour.fail_next = max(0, behaviour.fail_next - 1)
            return 500, {"error": "vendor trouble"}
        accepted[key] += 1
        if key not in deliveries:
            deliveries[key] += 1
            delivered_at[key] = datetime.now(UTC).isoformat()
            texts[key] = text
        return 200, {"message_id": key}

    @app.post("/v1/messages")
    async def send_message(request: Request, idempotency_key: str = Header()) -> JSONResponse:
        body = await request.json()
        if state["behaviour"].slow_seconds:
            await asyncio.sleep(state["behaviour"].slow_seconds)
        status, detail = decide(idempotency_key, body.get("to", ""), body.get("text", ""))
        headers = {"Retry-After": detail["retry_after"]} if status == 429 else None
        return JSONResponse(detail, status_code=status, headers=headers)

    @app.post("/v1/messages/batch")
    async def send_batch(request: Request) -> JSONResponse:
        """Up to 1,000 messages in one call, each with its own idempotency key and result."""
        messages = (await request.json())["messages"]
        behaviour: Behaviour = state["behaviour"]
        if behaviour.slow_seconds:
            await asyncio.sleep(behaviour.slow_seconds)
        if behaviour.batch_rate_limit_next > 0:  # the whole call refused: Retry-After in its header
            behaviour.batch_rate_limit_next -= 1
            for message in messages:
                requests[message["idempotency_key"]] += 1
            wait = behaviour.retry_after_seconds
            retry_after = (format_datetime(datetime.now(UTC) + timedelta(seconds=wait), usegmt=True)
                           if behaviour.retry_after_as_date else str(wait))
            return JSONResponse({"error": "rate limited"}, status_code=429, headers={"Retry-After": retry_after})
        results = []
        for message in messages:
            status, detail = decide(message["idempotency_key"], message.get("to", ""), message.get("text", ""))
            results.append({"idempotency_key": message["idempotency_key"], "status": status, **detail})
        return JSONResponse({"results": results})

    @app.get("/v1/status")
    async def vendor_status() -> JSONResponse:
        if state["behaviour"].down:
            return JSONResponse({"status": "outage"}, status_code=503)
        return JSONResponse({"status": "ok"})

    @app.put("/_behaviour")
    async def set_behaviour(behaviour: Behaviour) -> Behaviour:
        state["behaviour"] = behaviour
        return behaviour

    @app.get("/_deliveries")
    async def report() -> dict[str, Any]:
        return {"requests": dict(requests), "accepted": dict(accepted), "deliveries": dict(deliveries),
                "delivered_at": delivered_at}

    @app.get("/_messages/{key}")
    async def message(key: str) -> dict[str, str]:
        """What the recipient of `key` got (test-only, like every `/_` route)."""
        if key not in texts:
            raise HTTPException(404, "nothing delivered under this key")
        return {"idempotency_key": key, "text": texts[key]}

    @app.post("/_reset")
    async def reset() -> None:
        """Forget everything; the failure dice start over, so a test's storm does not depend on the tests before it."""
        state["behaviour"], state["rng"] = Behaviour(), random.Random(seed)
        requests.clear()
        accepted.clear()
        deliveries.clear()
        delivered_at.clear()
        texts.clear()

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
