"""A stand-in for a sponsor's landing page (seed §5, AdGate): a real HTTP server on loopback that tests and
the demo start. An entrant's visit is sent back to the lottery's page with the signed return the lottery
checks (platform_shared/contracts/sponsor_return.py), exactly as a real landing would be asked to.

    SPONSOR_ADGATE_SECRET=… python -m platform_deploy.fake_sponsor --port 18090

`GET /visit?campaign_id=&kakao_user_id=&return_to=` answers 302 to `return_to` with the return's fields and
its signature as query parameters (the entrant's page then posts them to the lottery with the entrant's
login). `POST /_behave {"sign_with": "…"}` makes it sign with another secret (a forged landing).
"""

import argparse
import os
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import uvicorn
from fastapi import FastAPI, Query
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from platform_shared.contracts.sponsor_return import SponsorReturn, sign


class Behaviour(BaseModel):
    sign_with: str | None = None
    """Sign with this secret instead of the shared one (a forged or misconfigured landing)."""


def create_app(secret: str, clock_offset_seconds: float = 0.0) -> FastAPI:
    app = FastAPI(title="fake sponsor landing")
    state: dict[str, Any] = {"behaviour": Behaviour()}

    @app.get("/visit")
    async def visit(campaign_id: str = Query(max_length=100), kakao_user_id: int = Query(ge=1),
                    return_to: str = Query(max_length=2000)) -> RedirectResponse:
        proof = SponsorReturn(campaign_id=campaign_id, kakao_user_id=kakao_user_id,
                              visited_at=int(time.time() + clock_offset_seconds), utm_source="sponsor",
                              utm_medium="landing", utm_campaign=campaign_id, nonce=secrets.token_urlsafe(12))
        key = state["behaviour"].sign_with or secret
        fields = {**proof.__dict__, "signature": sign(key.encode(), proof)}
        return RedirectResponse(f"{return_to}?{urlencode(fields)}", status_code=302)

    @app.post("/_behave")
    async def behave(behaviour: Behaviour) -> Behaviour:
        state["behaviour"] = behaviour
        return behaviour

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = create_app(os.environ["SPONSOR_ADGATE_SECRET"], float(os.environ.get("SPONSOR_CLOCK_OFFSET_SECONDS", "0")))
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
