"""Admin access tokens (SPEC §7): short-lived EdDSA JWTs. The policy service signs them at login and
step-up; every service verifies them locally against the public keys it was given (a JWKS document), so
no request waits on a call to the identity service.

Times are checked against the process's injected clock, not PyJWT's wall clock: the whole fleet runs on
one clock (tests move it), and a token issued by one service must be judged by the same time elsewhere.
"""

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from platform_shared.errors import UnauthenticatedError
from platform_shared.time.clock import Clock

ALGORITHM = "EdDSA"
ISSUER = "lottery-platform"
AUDIENCE = "lottery-platform-admin"
ACCESS_TOKEN_TTL = timedelta(minutes=15)
LEEWAY = timedelta(seconds=30)
"""Tolerated clock difference between the issuer and a verifier."""

SecondFactor = Literal["otp", "backup"]


@dataclass(frozen=True)
class Principal:
    """Who is calling, as a verified access token says."""

    account: str
    role: str
    amr: tuple[str, ...]
    """How they authenticated (RFC 8176): "pwd" plus "otp" (TOTP) or "backup" (a one-time backup code)."""
    auth_time: datetime
    """When the second factor was last entered (login or step-up): sensitive actions need it recent."""
    session_id: str
    issued_at: datetime
    token_id: str


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private_pem: str

    @classmethod
    def generate(cls, key_id: str | None = None) -> "SigningKey":
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        return cls(key_id or f"k-{secrets.token_hex(4)}", pem)

    def public_jwk(self) -> dict[str, Any]:
        private = serialization.load_pem_private_key(self.private_pem.encode(), password=None)
        assert isinstance(private, Ed25519PrivateKey), "admin tokens are signed with Ed25519"
        jwk: dict[str, Any] = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
        return jwk | {"kid": self.key_id, "use": "sig", "alg": ALGORITHM}


def jwks_json(*keys: SigningKey) -> str:
    """The public half of `keys` as a JWKS document: what every verifier is configured with."""
    return json.dumps({"keys": [key.public_jwk() for key in keys]})


class TokenSigner:
    def __init__(self, key: SigningKey, clock: Clock) -> None:
        self._key = key
        self._clock = clock

    def access_token(self, *, account: str, role: str, amr: tuple[str, ...], auth_time: datetime,
                     session_id: str) -> str:
        now = self._clock.now()
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": account, "role": role, "amr": list(amr),
                  "auth_time": _seconds(auth_time), "sid": session_id, "iat": _seconds(now),
                  "exp": _seconds(now + ACCESS_TOKEN_TTL), "jti": secrets.token_hex(16)}
        return jwt.encode(claims, self._key.private_pem, algorithm=ALGORITHM, headers={"kid": self._key.key_id})


class TokenVerifier:
    """Accepts only EdDSA tokens signed by one of the configured keys, for this audience and issuer,
    within their lifetime by this process's clock. Every refusal is an `UnauthenticatedError` whose
    message never repeats the token."""

    def __init__(self, jwks: str, clock: Clock) -> None:
        self._keys = jwt.PyJWKSet.from_json(jwks) if jwks else None
        self._clock = clock

    def verify(self, token: str) -> Principal:
        if self._keys is None:
            raise UnauthenticatedError("this service has no token keys configured; no token can be accepted")
        try:
            key_id = jwt.get_unverified_header(token).get("kid")
            key = self._keys[str(key_id)]
        except (jwt.PyJWTError, KeyError) as error:
            raise UnauthenticatedError("the access token is malformed or signed by an unknown key") from error
        try:
            claims = jwt.decode(token, key.key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False,
                                         "require": ["sub", "role", "amr", "auth_time", "sid", "iat", "exp", "jti"]})
        except jwt.PyJWTError as error:
            raise UnauthenticatedError(f"the access token is not valid: {type(error).__name__}") from error
        now = self._clock.now()
        issued_at, expires = _time(claims["iat"]), _time(claims["exp"])
        if now >= expires + LEEWAY:
            raise UnauthenticatedError("the access token has expired; refresh it or log in again")
        if issued_at > now + LEEWAY:
            raise UnauthenticatedError("the access token was issued in the future")
        return Principal(account=str(claims["sub"]), role=str(claims["role"]), amr=tuple(claims["amr"]),
                         auth_time=_time(claims["auth_time"]), session_id=str(claims["sid"]), issued_at=issued_at,
                         token_id=str(claims["jti"]))


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _time(value: Any) -> datetime:
    if not isinstance(value, int | float):
        raise UnauthenticatedError("the access token's times are not numbers")
    return datetime.fromtimestamp(value, UTC)
