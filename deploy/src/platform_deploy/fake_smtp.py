"""A stand-in for the mail server e-mail notices go to (seed §1 `INCIDENT_NOTICE`): a real SMTP server (aiosmtpd)
on loopback that the notifier's SMTP client talks to as it would to the real one, records each message as its
recipient would read it, and fails on demand; plus a small HTTP port to read and steer it, like fake_vendor.py.

    python -m platform_deploy.fake_smtp --port 18091 --smtp-port 18025

- SMTP on `--smtp-port`: any sender, any recipient; each message parsed (to, subject, body, Message-ID, Date).
- `GET /_messages?to=…`: every message accepted, oldest first, decoded (subject and body as text).
- `GET /_attempts`: messages tried in all, refused ones included: a retry shows here.
- `PUT /_behaviour`: `{"fail_next": n, "code": 451|550}`: refuse the next n messages with that code (451: try
  again later, 550: refused for good).
- `POST /_reset`, `GET /health`.
The real server is used instead wherever NOTIFIER_SMTP_HOST is configured."""

import argparse
import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email import message_from_bytes, policy
from typing import Any, Literal

import uvicorn
from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI
from pydantic import BaseModel, Field

REPLIES = {451: "451 4.3.0 Temporary failure, try again later", 550: "550 5.1.1 Mailbox unavailable"}


class Behaviour(BaseModel):
    fail_next: int = Field(default=0, ge=0, description="refuse this many messages")
    code: Literal[451, 550] = Field(default=451, description="451: transient; 550: permanent")


class Mailbox:
    """What the server took, and how it behaves; one asyncio loop serves SMTP and HTTP, so no lock."""

    def __init__(self) -> None:
        self.behaviour = Behaviour()
        self.attempts = 0
        self.messages: list[dict[str, Any]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.attempts += 1
        if self.behaviour.fail_next > 0:
            self.behaviour.fail_next -= 1
            return REPLIES[self.behaviour.code]
        raw = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        message = message_from_bytes(raw, policy=policy.default)
        self.messages.append({
            "mail_from": envelope.mail_from, "to": list(envelope.rcpt_tos), "subject": str(message["Subject"]),
            "body": message.get_content().replace("\r\n", "\n") if not message.is_multipart() else "",
            "content_type": message.get_content_type(), "charset": message.get_content_charset(),
            "message_id": message["Message-ID"], "date": message["Date"],
            "received_at": datetime.now(UTC).isoformat()})
        return "250 2.0.0 OK"


def create_app(smtp_port: int) -> FastAPI:
    mailbox = Mailbox()

    @asynccontextmanager
    async def smtp_server(_: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SMTP(mailbox, enable_SMTPUTF8=True), "127.0.0.1", smtp_port)
        try:
            yield
        finally:
            server.close()
            await server.wait_closed()

    app = FastAPI(title="fake SMTP server", lifespan=smtp_server)

    @app.get("/_messages")
    async def messages(to: str | None = None) -> list[dict[str, Any]]:
        return [m for m in mailbox.messages if to is None or to in m["to"]]

    @app.get("/_attempts")
    async def attempts() -> dict[str, int]:
        return {"attempts": mailbox.attempts, "accepted": len(mailbox.messages)}

    @app.put("/_behaviour")
    async def set_behaviour(behaviour: Behaviour) -> Behaviour:
        mailbox.behaviour = behaviour
        return behaviour

    @app.post("/_reset")
    async def reset() -> None:
        mailbox.behaviour, mailbox.attempts = Behaviour(), 0
        mailbox.messages.clear()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok", "smtp": f"127.0.0.1:{smtp_port}"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True, help="the HTTP control port")
    parser.add_argument("--smtp-port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(args.smtp_port), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
