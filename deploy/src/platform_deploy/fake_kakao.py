"""A stand-in for Kakao Login's OpenID Connect issuer (kauth.kakao.com): a real HTTP server on loopback that
tests and the demo start, with its own RS256 keys.

    python -m platform_deploy.fake_kakao --port 18081 [--app-key K] [--clock-offset-seconds S]

What Kakao serves: the discovery document (the issuer is this server's own base URL), the JWKS, an authorize
page where a test user "logs in" by naming their Kakao user id (`login_hint`) and is redirected back with a
single-use code, and the token endpoint that exchanges the code for an ID token (iss, aud = the client id,
sub, iat, exp, auth_time, nonce).

Test controls (underscore prefix, like the fake vendor's): `POST /_mint` signs an ID token directly (also
expired, from the future, for another audience); `POST /_rotate` signs with a new key from now on (the old one
stays published unless retired); `POST /_behave` makes the discovery, JWKS or token endpoint fail, or every
answer slow (an outage, seed §9); `POST /_reset` restores normal behaviour and zeroes the counts (keys are
kept: services hold them); `GET /_stats` counts what was asked, so a test can see keys are not fetched per
request. Times follow `--clock-offset-seconds`, the offset the fleet gives every service, so tokens agree with
the fleet's clock.
"""

import argparse
import asyncio
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, generate_private_key
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from jwt.algorithms import RSAAlgorithm
from pydantic import BaseModel, Field

DEFAULT_APP_KEY = "fake-kakao-app-key"
ID_TOKEN_SECONDS = 12 * 3600
"""Kakao's ID tokens live as long as its access tokens: about 12 hours (6 on some plans)."""


class Behaviour(BaseModel):
    fail_discovery: bool = False
    fail_jwks: bool = False
    fail_token: bool = False
    slow_seconds: float = Field(default=0.0, ge=0, le=120, description="wait this long before every answer")


class MintIn(BaseModel):
    sub: str = Field(description="The Kakao user id, as Kakao sends it (a decimal string)")
    nonce: str | None = None
    audience: str | None = Field(default=None, description="default: the app key this issuer was started with")
    expires_in: int = Field(default=ID_TOKEN_SECONDS, description="seconds after issued_at; negative: expired")
    issued_at: int | None = Field(default=None, description="epoch seconds; default: now by the issuer's clock")


class RotateIn(BaseModel):
    retire_old: bool = False


@dataclass
class SigningKey:
    key_id: str
    private: RSAPrivateKey = field(repr=False)

    @classmethod
    def generate(cls) -> "SigningKey":
        return cls(f"kakao-{secrets.token_hex(6)}", generate_private_key(public_exponent=65537, key_size=2048))

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        return jwk | {"kid": self.key_id, "use": "sig", "alg": "RS256"}


@dataclass(frozen=True)
class Grant:
    """What an authorization code stands for, until it is exchanged (once)."""

    sub: str
    client_id: str
    redirect_uri: str
    nonce: str | None


class Issuer:
    def __init__(self, base_url: str, app_key: str, clock_offset_seconds: float) -> None:
        self.base_url = base_url
        self.app_key = app_key
        self._offset = clock_offset_seconds
        self.signing = SigningKey.generate()
        self.published = [self.signing]
        self.grants: dict[str, Grant] = {}
        self.behaviour = Behaviour()
        self.asked: Counter[str] = Counter()

    def now(self) -> int:
        return int(time.time() + self._offset)

    def id_token(self, sub: str, *, audience: str, nonce: str | None, issued_at: int | None = None,
                 expires_in: int = ID_TOKEN_SECONDS) -> str:
        issued = self.now() if issued_at is None else issued_at
        claims: dict[str, Any] = {"iss": self.base_url, "aud": audience, "sub": sub, "iat": issued,
                                  "exp": issued + expires_in, "auth_time": issued}
        if nonce is not None:
            claims["nonce"] = nonce
        return jwt.encode(claims, self.signing.private, algorithm="RS256", headers={"kid": self.signing.key_id})

    def rotate(self, *, retire_old: bool) -> str:
        self.signing = SigningKey.generate()
        self.published = [self.signing] if retire_old else [*self.published, self.signing]
        return self.signing.key_id


def create_app(base_url: str, app_key: str = DEFAULT_APP_KEY, clock_offset_seconds: float = 0.0) -> FastAPI:
    app = FastAPI(title="fake Kakao OpenID Connect issuer")
    issuer = Issuer(base_url, app_key, clock_offset_seconds)
    app.state.issuer = issuer

    async def answer(what: str, failing: bool) -> JSONResponse | None:
        """Count the request, wait if told to be slow, and fail it if told to (None: go on)."""
        issuer.asked[what] += 1
        if issuer.behaviour.slow_seconds:
            await asyncio.sleep(issuer.behaviour.slow_seconds)
        return JSONResponse({"error": "server_error", "error_description": "told to fail"}, 500) if failing else None

    @app.get("/.well-known/openid-configuration")
    async def discovery() -> JSONResponse:
        return await answer("discovery", issuer.behaviour.fail_discovery) or JSONResponse({
            "issuer": base_url, "authorization_endpoint": f"{base_url}/oauth/authorize",
            "token_endpoint": f"{base_url}/oauth/token", "jwks_uri": f"{base_url}/.well-known/jwks.json",
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"]})

    @app.get("/.well-known/jwks.json")
    async def jwks() -> JSONResponse:
        return await answer("jwks", issuer.behaviour.fail_jwks) or JSONResponse(
            {"keys": [key.public_jwk() for key in issuer.published]})

    @app.get("/oauth/authorize")
    async def authorize(client_id: str, redirect_uri: str, login_hint: str, state: str = "",
                        nonce: str | None = None, response_type: str = "code") -> RedirectResponse:
        """Kakao shows its login page here; the stand-in logs in the user named by `login_hint` at once."""
        code = secrets.token_urlsafe(24)
        issuer.grants[code] = Grant(login_hint, client_id, redirect_uri, nonce)
        separator = "&" if "?" in redirect_uri else "?"
        return RedirectResponse(f"{redirect_uri}{separator}{urlencode({'code': code, 'state': state})}", 302)

    @app.post("/oauth/token")
    async def token(request: Request) -> JSONResponse:
        form = {name: values[0] for name, values in parse_qs((await request.body()).decode()).items()}
        if failed := await answer("token", issuer.behaviour.fail_token):
            return failed
        grant = issuer.grants.pop(form.get("code", ""), None)  # single use, like Kakao's
        if form.get("grant_type") != "authorization_code" or grant is None or \
                (grant.client_id, grant.redirect_uri) != (form.get("client_id"), form.get("redirect_uri")):
            return JSONResponse({"error": "invalid_grant", "error_description": "authorization code not found"}, 400)
        id_token = issuer.id_token(grant.sub, audience=grant.client_id, nonce=grant.nonce)
        return JSONResponse({"access_token": secrets.token_urlsafe(32), "token_type": "bearer",
                             "expires_in": ID_TOKEN_SECONDS, "id_token": id_token})

    @app.post("/_mint")
    async def mint(body: MintIn) -> dict[str, str]:
        return {"id_token": issuer.id_token(body.sub, audience=body.audience or issuer.app_key, nonce=body.nonce,
                                            issued_at=body.issued_at, expires_in=body.expires_in)}

    @app.post("/_rotate")
    async def rotate(body: RotateIn) -> dict[str, Any]:
        issuer.rotate(retire_old=body.retire_old)
        return {"kid": issuer.signing.key_id, "published": [key.key_id for key in issuer.published]}

    @app.post("/_behave")
    async def behave(behaviour: Behaviour) -> Behaviour:
        issuer.behaviour = behaviour
        return behaviour

    @app.post("/_reset")
    async def reset() -> None:
        issuer.behaviour = Behaviour()
        issuer.asked.clear()

    @app.get("/_stats")
    async def stats() -> dict[str, int]:
        return dict(issuer.asked)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--app-key", default=DEFAULT_APP_KEY, help="the default audience of /_mint")
    parser.add_argument("--clock-offset-seconds", type=float, default=0.0,
                        help="move this issuer's clock (the fleet gives every process the same offset)")
    args = parser.parse_args()
    app = create_app(f"http://127.0.0.1:{args.port}", args.app_key, args.clock_offset_seconds)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
