"""A stand-in for the internal messenger's `#ops-incident` channel (seed §1 "장애 방송 채널"): a real HTTP server
on loopback that takes Slack-compatible incoming-webhook posts, as the policy service's incident posts and
Alertmanager's `slack_configs` send them, records them for tests and the demo, and fails on demand.

    python -m platform_deploy.fake_messenger --port 18090

- `POST /hooks/{channel}`: a webhook post (JSON with at least `text`, or Slack `attachments`/`blocks`), answered
  `ok` as Slack does; under a failure behaviour answered 500, or held longer than any sender waits (timeout).
- `GET /_posts?channel=ops-incident`: every post accepted, oldest first, with when it arrived.
- `GET /_attempts`: how many posts were tried in all (failed ones included): a retry shows here.
- `PUT /_behaviour`: `{"fail_next": n}` (500), `{"hang_next": n, "hang_seconds": s}` (no answer for s seconds).
- `POST /_reset`.
The real messenger is used instead wherever its webhook URL is configured."""

import argparse
import asyncio
from datetime import UTC, datetime
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field


class Behaviour(BaseModel):
    fail_next: int = Field(default=0, ge=0, description="answer 500 to this many posts")
    hang_next: int = Field(default=0, ge=0, description="hold this many posts without an answer")
    hang_seconds: float = Field(default=30.0, ge=0, le=600)


def create_app() -> FastAPI:
    app = FastAPI(title="fake messenger (#ops-incident)")
    state: dict[str, Any] = {"behaviour": Behaviour(), "attempts": 0}
    posts: list[dict[str, Any]] = []

    @app.post("/hooks/{channel}")
    async def post(channel: str, request: Request) -> PlainTextResponse:
        state["attempts"] += 1
        behaviour: Behaviour = state["behaviour"]
        if behaviour.hang_next > 0:
            behaviour.hang_next -= 1
            await asyncio.sleep(behaviour.hang_seconds)
            return PlainTextResponse("too late", status_code=504)
        if behaviour.fail_next > 0:
            behaviour.fail_next -= 1
            return PlainTextResponse("messenger trouble", status_code=500)
        try:
            body = await request.json()
        except ValueError:
            return PlainTextResponse("invalid_payload", status_code=400)
        if not isinstance(body, dict) or not (body.get("text") or body.get("attachments") or body.get("blocks")):
            return PlainTextResponse("no_text", status_code=400)
        posts.append({"channel": channel, "received_at": datetime.now(UTC).isoformat(), "body": body})
        return PlainTextResponse("ok")

    @app.get("/_posts")
    async def recorded(channel: str | None = None) -> list[dict[str, Any]]:
        return [p for p in posts if channel is None or p["channel"] == channel]

    @app.get("/_attempts")
    async def attempts() -> dict[str, int]:
        return {"attempts": state["attempts"], "accepted": len(posts)}

    @app.put("/_behaviour")
    async def set_behaviour(behaviour: Behaviour) -> Behaviour:
        state["behaviour"] = behaviour
        return behaviour

    @app.post("/_reset")
    async def reset() -> None:
        state["behaviour"], state["attempts"] = Behaviour(), 0
        posts.clear()

    @app.get("/health")
    async def health() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
