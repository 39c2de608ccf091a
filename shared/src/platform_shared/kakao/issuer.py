"""The Kakao issuer over HTTP (OpenID Connect): its discovery document, its keys, its token endpoint. Every
failure to get an answer (timeout, refused connection, 5xx, 429, a body that is not the expected JSON) is an
outage: recorded in the watch and raised as `IssuerUnavailableError`, which the API answers with 503 and the
policy's outage banner (seed §9). A 4xx from the token endpoint is an answer: the code was refused."""

from collections.abc import Mapping
from typing import Any

import httpx

from platform_shared.auth.entrants import IssuerUnavailableError
from platform_shared.auth.kakao import TokenRefusedError
from platform_shared.kakao.watch import IssuerWatch

DISCOVERY_PATH = "/.well-known/openid-configuration"


class KakaoIssuer:
    def __init__(self, issuer: str, client: httpx.AsyncClient, watch: IssuerWatch) -> None:
        self.issuer = issuer
        self._client = client
        self._watch = watch
        self._discovery: dict[str, str] | None = None

    async def signing_keys(self) -> Mapping[str, Any]:
        """The JWKS document (a `KeySource` for the verifier)."""
        return await self._json("JWKS", "GET", (await self._endpoints())["jwks_uri"])

    async def exchange_code(self, *, code: str, redirect_uri: str, client_id: str, client_secret: str | None) -> str:
        """The ID token the token endpoint gives for an authorization code (good once, for this redirect URI)."""
        form = {"grant_type": "authorization_code", "client_id": client_id, "redirect_uri": redirect_uri,
                "code": code, **({"client_secret": client_secret} if client_secret else {})}
        # Kakao answers a used, expired or foreign code with 400 invalid_grant (RFC 6749 §5.2): an answer, not
        # an outage.
        refused = TokenRefusedError("code_refused", "Kakao refused the authorization code (used, expired, or "
                                    "for another redirect URI); log in with Kakao again")
        answer = await self._json("token endpoint", "POST", (await self._endpoints())["token_endpoint"],
                                  refused=refused, data=form)
        id_token = answer.get("id_token")
        if not isinstance(id_token, str):
            raise TokenRefusedError("no_id_token", "Kakao answered the login without an ID token (is the "
                                    "app's OpenID Connect setting on, with the openid scope?)")
        return id_token

    async def close(self) -> None:
        await self._client.aclose()

    async def _endpoints(self) -> dict[str, str]:
        """Read once per process: an issuer's endpoints do not move (its keys do, and are fetched anew)."""
        if self._discovery is None:
            document = await self._json("discovery", "GET", self.issuer.rstrip("/") + DISCOVERY_PATH)
            endpoints = {name: document.get(name) for name in ("issuer", "jwks_uri", "token_endpoint")}
            # OIDC Discovery §4.3: the document must name the very issuer it was fetched for.
            if endpoints["issuer"] != self.issuer or not all(isinstance(v, str) for v in endpoints.values()):
                raise self._outage("discovery document", "it names another issuer or lacks endpoints")
            self._discovery = {name: str(value) for name, value in endpoints.items()}
        return self._discovery

    async def _json(self, what: str, method: str, url: str, *, refused: TokenRefusedError | None = None,
                    **kwargs: Any) -> dict[str, Any]:
        """The answer's JSON object. A 4xx raises `refused` if given (the issuer answered no), else it is an
        outage like a 5xx (a JWKS URL that answers 404 gives no keys)."""
        try:
            response = await self._client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            raise self._outage(what, type(error).__name__) from error
        if response.status_code >= 500 or response.status_code == 429 or (response.is_error and refused is None):
            raise self._outage(what, f"HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as error:
            raise self._outage(what, "the answer is not JSON") from error
        if not isinstance(body, dict):
            raise self._outage(what, "the answer is not a JSON object")
        self._watch.issuer_answered()
        if response.is_error and refused is not None:
            raise refused
        return body

    def _outage(self, what: str, problem: str) -> IssuerUnavailableError:
        self._watch.issuer_failed(f"{what}: {problem}")
        return IssuerUnavailableError(f"Kakao login is unavailable: the issuer's {what} failed ({problem})")
