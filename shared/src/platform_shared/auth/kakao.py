"""Kakao ID tokens (SPEC §9, seed §9): OpenID Connect ID tokens, RS256, verified locally against the issuer's
published keys (JWKS). No request waits on the issuer while its keys are cached: the keys are fetched once,
again when a token names a key id (`kid`) not seen yet (the issuer rotated), and at most once per
`min_refresh_interval`, so a flood of tokens with invented key ids cannot hammer the issuer. Kakao's own
guidance is the same: cache the keys, never fetch them per request.

Pure: the keys come from a `KeySource` (platform_shared/kakao/issuer.py fetches them over HTTPS). Times are
judged by the injected clock, as admin tokens are (auth/tokens.py): the whole fleet shares one clock."""

import asyncio
import hmac
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import jwt

from platform_shared.auth.entrants import Entrant, IssuerUnavailableError
from platform_shared.auth.tokens import LEEWAY
from platform_shared.errors import DomainError, UnauthenticatedError
from platform_shared.time.clock import Clock

ALGORITHM = "RS256"
"""The only algorithm accepted: Kakao signs ID tokens with RS256. Anything else (`none`, HS256 keyed with the
public key, EdDSA admin tokens) is refused before a key is even looked up."""
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]
KEYS_MAX_AGE = timedelta(hours=1)
"""Keys older than this are refetched when next needed (a refetch that fails keeps them), so a key the
issuer retired stops being trusted even if no token ever names an unknown key."""
_SUBJECT = re.compile(r"^[1-9][0-9]{0,18}$")


class TokenRefusedError(UnauthenticatedError):
    """A Kakao ID token that does not prove who is calling. `reason` is a short fixed code (a metric label);
    the message says what is wrong and never repeats the token."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class KakaoNotConfiguredError(DomainError):
    """This process was given no Kakao issuer (KAKAO_ISSUER): no entrant can log in here."""

    status_code = 503


class KeySource(Protocol):
    async def signing_keys(self) -> Mapping[str, Any]:
        """The issuer's JWKS document as it is now; `IssuerUnavailableError` when it cannot be had."""
        ...


@dataclass(frozen=True)
class VerifiedIdToken:
    entrant: Entrant
    expires_at: datetime


class KakaoVerifier:
    def __init__(self, *, issuer: str, audience: str, keys: KeySource, clock: Clock,
                 min_refresh_interval: timedelta = timedelta(seconds=10),
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        """`audience`: the app key (an ID token is for one client). `monotonic`: paces refetches (tests
        give a counter of their own)."""
        self.issuer = issuer
        self._audience = audience
        self._source = keys
        self._clock = clock
        self._min_refresh = min_refresh_interval.total_seconds()
        self._monotonic = monotonic
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._last_attempt_failed = False
        self._lock = asyncio.Lock()

    @property
    def key_ids(self) -> list[str]:
        return sorted(self._keys)

    async def verify(self, token: str, *, nonce: str | None = None) -> Entrant:
        return (await self.verify_id_token(token, nonce=nonce)).entrant

    async def verify_id_token(self, token: str, *, nonce: str | None = None) -> VerifiedIdToken:
        """The entrant the token names, or `TokenRefusedError`. `nonce`: the value the login flow sent to the
        issuer, which the token must carry (a replayed token from another login carries another).
        `IssuerUnavailableError` only when the token names a key not cached and the issuer cannot be asked."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise TokenRefusedError("malformed", "the Kakao ID token is malformed") from error
        if header.get("alg") != ALGORITHM:
            raise TokenRefusedError("algorithm", f"a Kakao ID token is signed with {ALGORITHM}; this one is not")
        key = await self._key(str(header.get("kid", "")))
        claims = self._decode(token, key)
        expires_at = self._check_times(claims)
        if nonce is not None and not hmac.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
            raise TokenRefusedError("nonce", "the Kakao ID token was not issued for this login (nonce differs)")
        return VerifiedIdToken(Entrant(kakao_user_id=_kakao_user_id(claims["sub"])), expires_at)

    async def refresh(self) -> None:
        """Fetch the keys now (at start-up, so the first entrant does not wait). Counts as a refetch."""
        async with self._lock:
            await self._fetch()

    async def _key(self, key_id: str) -> jwt.PyJWK:
        if key_id in self._keys and not self._stale():
            return self._keys[key_id]
        async with self._lock:  # one fetch at a time; whoever waited finds its result
            if key_id not in self._keys or self._stale():
                await self._refetch_if_allowed(needed=key_id not in self._keys)
        if key_id not in self._keys:
            raise TokenRefusedError("unknown_key", "the Kakao ID token is signed by a key the issuer does not publish")
        return self._keys[key_id]

    async def _refetch_if_allowed(self, *, needed: bool) -> None:
        """A cached key keeps verifying while the issuer is down: it is still the issuer's key. A key we never
        saw cannot be checked then, and the answer is 503 (seed §9), not 401: the token may well be good."""
        if self._attempted_at is not None and self._monotonic() - self._attempted_at < self._min_refresh:
            if needed and self._last_attempt_failed:
                raise IssuerUnavailableError("Kakao login is unavailable: the issuer's keys cannot be fetched")
            return
        try:
            await self._fetch()
        except IssuerUnavailableError:
            if needed:
                raise

    async def _fetch(self) -> None:
        self._attempted_at = self._monotonic()
        self._last_attempt_failed = True
        document = await self._source.signing_keys()
        keys = _rsa_keys(document)
        if not keys:
            raise IssuerUnavailableError("Kakao login is unavailable: the issuer published no RS256 keys")
        # Replaced, not merged: a key the issuer retired is no longer trusted.
        self._keys, self._fetched_at, self._last_attempt_failed = keys, self._monotonic(), False

    def _stale(self) -> bool:
        return self._fetched_at is not None and self._monotonic() - self._fetched_at > KEYS_MAX_AGE.total_seconds()

    def _decode(self, token: str, key: jwt.PyJWK) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token, key, algorithms=[ALGORITHM], audience=self._audience, issuer=self.issuer,
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False, "require": REQUIRED_CLAIMS})
        except jwt.InvalidAudienceError as error:
            raise TokenRefusedError("audience", "the Kakao ID token is for another app (aud)") from error
        except jwt.InvalidIssuerError as error:
            raise TokenRefusedError("issuer", "the Kakao ID token comes from another issuer (iss)") from error
        except jwt.MissingRequiredClaimError as error:
            raise TokenRefusedError("missing_claim", f"the Kakao ID token has no {error.claim!r} claim") from error
        except jwt.InvalidSignatureError as error:
            raise TokenRefusedError("signature", "the Kakao ID token's signature does not verify") from error
        except jwt.PyJWTError as error:
            raise TokenRefusedError("invalid", f"the Kakao ID token is not valid: {type(error).__name__}") from error
        return claims

    def _check_times(self, claims: Mapping[str, Any]) -> datetime:
        now = self._clock.now()
        issued_at, expires_at = _time(claims["iat"]), _time(claims["exp"])
        if now >= expires_at + LEEWAY:
            raise TokenRefusedError("expired", "the Kakao ID token has expired; log in with Kakao again")
        if issued_at > now + LEEWAY or ("nbf" in claims and _time(claims["nbf"]) > now + LEEWAY):
            raise TokenRefusedError("not_yet_valid", "the Kakao ID token was issued in the future")
        return expires_at


def _rsa_keys(document: Mapping[str, Any]) -> dict[str, jwt.PyJWK]:
    """The document's RSA signing keys by key id, each bound to RS256 whatever else it claims. A malformed
    document is an issuer failure, not a reason to refuse tokens."""
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise IssuerUnavailableError("Kakao login is unavailable: the issuer's key set is malformed")
    keys = {}
    for entry in entries:
        if isinstance(entry, dict) and entry.get("kty") == "RSA" and entry.get("use", "sig") == "sig" \
                and isinstance(entry.get("kid"), str):
            try:
                keys[entry["kid"]] = jwt.PyJWK(entry, algorithm=ALGORITHM)
            except jwt.PyJWTError:
                continue  # one unusable key does not void the others
    return keys


def _kakao_user_id(subject: Any) -> int:
    """Kakao's user id, a positive 64-bit integer, as the string `sub`."""
    if not isinstance(subject, str) or not _SUBJECT.match(subject) or int(subject) >= 2**63:
        raise TokenRefusedError("subject", "the Kakao ID token's subject is not a Kakao user id")
    return int(subject)


def _time(value: Any) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TokenRefusedError("invalid", "the Kakao ID token's times are not numbers")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise TokenRefusedError("invalid", "the Kakao ID token's times are out of range") from error
