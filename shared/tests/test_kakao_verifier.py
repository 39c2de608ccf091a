"""Kakao ID tokens (SPEC §9, seed §9), verified against an issuer kept in memory: every forgery is refused with
its reason, rotation costs one fetch, unknown key ids cannot hammer the issuer, and an outage refuses only
what cannot be checked."""

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, generate_private_key
from jwt.algorithms import RSAAlgorithm

from platform_shared.auth.entrants import Entrant, IssuerUnavailableError
from platform_shared.auth.kakao import KEYS_MAX_AGE, KakaoVerifier, TokenRefusedError
from platform_shared.time.clock import FixedClock

ISSUER, APP_KEY = "https://kauth.example", "app-key-1"
NOW = datetime(2020, 3, 1, 12, 0, tzinfo=UTC)
"""Long past by the wall clock: every time check must use the injected clock."""
_KEYS = [generate_private_key(public_exponent=65537, key_size=2048) for _ in range(3)]


class MemoryIssuer:
    """A `KeySource` holding its keys in memory: counts fetches, can be down."""

    def __init__(self) -> None:
        self.keys: dict[str, RSAPrivateKey] = {"k1": _KEYS[0]}
        self.signing = "k1"
        self.fetches = 0
        self.down = False

    async def signing_keys(self) -> Mapping[str, Any]:
        self.fetches += 1
        if self.down:
            raise IssuerUnavailableError("the issuer is down")
        return {"keys": [RSAAlgorithm.to_jwk(key.public_key(), as_dict=True) | {"kid": kid, "use": "sig"}
                         for kid, key in self.keys.items()]}

    def claims(self, **changes: Any) -> dict[str, Any]:
        issued = int(NOW.timestamp())
        return {"iss": ISSUER, "aud": APP_KEY, "sub": "4242", "iat": issued, "exp": issued + 3600, **changes}

    def token(self, *, kid: str | None = None, key: RSAPrivateKey | None = None, **changes: Any) -> str:
        claims = {name: value for name, value in self.claims(**changes).items() if value is not None}
        return jwt.encode(claims, key or self.keys[self.signing], algorithm="RS256",
                          headers={"kid": kid or self.signing})


class Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def issuer() -> MemoryIssuer:
    return MemoryIssuer()


@pytest.fixture
def ticker() -> Ticker:
    return Ticker()


@pytest.fixture
def verifier(issuer: MemoryIssuer, ticker: Ticker) -> KakaoVerifier:
    return KakaoVerifier(issuer=ISSUER, audience=APP_KEY, keys=issuer, clock=FixedClock(NOW),
                         min_refresh_interval=timedelta(seconds=10), monotonic=ticker)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(claims: dict[str, Any]) -> str:
    header = {"alg": "none", "typ": "JWT", "kid": "k1"}
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}."


def _hs256_with_public_key(issuer: MemoryIssuer) -> str:
    """The classic confusion: HMAC keyed with the issuer's *public* key, which anyone has."""
    public = issuer.keys["k1"].public_key().public_bytes(serialization.Encoding.PEM,
                                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input = f"{_b64(json.dumps({'alg': 'HS256', 'kid': 'k1'}).encode())}." \
                    f"{_b64(json.dumps(issuer.claims()).encode())}"
    return f"{signing_input}.{_b64(hmac.new(public, signing_input.encode(), hashlib.sha256).digest())}"


async def test_a_good_token_names_the_entrant_by_its_subject(verifier: KakaoVerifier, issuer: MemoryIssuer) -> None:
    assert await verifier.verify(issuer.token()) == Entrant(kakao_user_id=4242)
    verified = await verifier.verify_id_token(issuer.token(nonce="n-123456"), nonce="n-123456")
    assert verified.expires_at == NOW + timedelta(hours=1)


@pytest.mark.parametrize(("forge", "reason"), [
    (lambda i: i.token(key=_KEYS[2]), "signature"),  # the issuer's key id, someone else's key
    (lambda i: _unsigned(i.claims()), "algorithm"),
    (_hs256_with_public_key, "algorithm"),
    (lambda i: i.token(exp=int((NOW - timedelta(seconds=31)).timestamp())), "expired"),
    (lambda i: i.token(iat=int((NOW + timedelta(seconds=31)).timestamp())), "not_yet_valid"),
    (lambda i: i.token(aud="another-app"), "audience"),
    (lambda i: i.token(iss="https://evil.example"), "issuer"),
    (lambda i: i.token(sub=None), "missing_claim"),
    (lambda i: i.token(exp=None), "missing_claim"),
    (lambda i: i.token(sub="kim"), "subject"),
    (lambda i: i.token(sub="0"), "subject"),
    (lambda i: i.token(sub=str(2**63)), "subject"),
    (lambda i: i.token(sub="-5"), "subject"),
    (lambda i: "not.a.token", "malformed"),
    (lambda i: i.token(kid="kid-nobody-published"), "unknown_key"),
])
async def test_a_forged_or_foreign_token_is_refused_with_its_reason(verifier: KakaoVerifier, issuer: MemoryIssuer,
                                                                   forge: Any, reason: str) -> None:
    with pytest.raises(TokenRefusedError) as refused:
        await verifier.verify(forge(issuer))
    assert refused.value.reason == reason
    assert refused.value.status_code == 401


async def test_times_tolerate_the_leeway_by_the_injected_clock(verifier: KakaoVerifier, issuer: MemoryIssuer) -> None:
    just_expired = issuer.token(exp=int((NOW - timedelta(seconds=20)).timestamp()))
    slightly_ahead = issuer.token(iat=int((NOW + timedelta(seconds=20)).timestamp()))
    assert await verifier.verify(just_expired) == await verifier.verify(slightly_ahead) == Entrant(4242)


async def test_the_nonce_must_match_when_the_flow_set_one(verifier: KakaoVerifier, issuer: MemoryIssuer) -> None:
    for token in (issuer.token(nonce="from-another-login"), issuer.token()):
        with pytest.raises(TokenRefusedError) as refused:
            await verifier.verify(token, nonce="this-login-nonce")
        assert refused.value.reason == "nonce"
    assert await verifier.verify(issuer.token(nonce="anything")) == Entrant(4242), "no nonce asked, none checked"


async def test_a_message_never_repeats_the_token(verifier: KakaoVerifier, issuer: MemoryIssuer) -> None:
    token = issuer.token(aud="another-app")
    with pytest.raises(TokenRefusedError) as refused:
        await verifier.verify(token)
    assert token not in refused.value.message and token.split(".")[1] not in refused.value.message


async def test_rotation_costs_one_fetch_and_retired_keys_stop_verifying(verifier: KakaoVerifier,
                                                                       issuer: MemoryIssuer, ticker: Ticker) -> None:
    old = issuer.token()
    assert await verifier.verify(old) == Entrant(4242)
    for _ in range(20):
        await verifier.verify(old)
    assert issuer.fetches == 1, "cached keys: no fetch per request"

    issuer.keys, issuer.signing = {"k2": _KEYS[1]}, "k2"  # rotated, k1 retired
    ticker.now += 11
    assert await verifier.verify(issuer.token()) == Entrant(4242)
    assert issuer.fetches == 2
    with pytest.raises(TokenRefusedError, match="does not publish"):
        await verifier.verify(old)


async def test_unknown_key_ids_fetch_at_most_once_per_interval(verifier: KakaoVerifier, issuer: MemoryIssuer,
                                                              ticker: Ticker) -> None:
    await verifier.verify(issuer.token())
    ticker.now += 11
    forged = [issuer.token(kid=f"forged-{secrets.token_hex(4)}") for _ in range(50)]
    results = await asyncio.gather(*(verifier.verify(token) for token in forged), return_exceptions=True)
    assert all(isinstance(r, TokenRefusedError) and r.reason == "unknown_key" for r in results)
    assert issuer.fetches == 2, "one refetch for fifty unknown key ids"
    ticker.now += 5
    await asyncio.gather(*(verifier.verify(token) for token in forged), return_exceptions=True)
    assert issuer.fetches == 2, "still within the interval"
    ticker.now += 6
    await asyncio.gather(*(verifier.verify(token) for token in forged), return_exceptions=True)
    assert issuer.fetches == 3


async def test_an_outage_refuses_only_what_cannot_be_checked(verifier: KakaoVerifier, issuer: MemoryIssuer,
                                                            ticker: Ticker) -> None:
    cached = issuer.token()
    await verifier.verify(cached)
    issuer.down = True
    issuer.keys["k3"], issuer.signing = _KEYS[2], "k3"
    fresh = issuer.token()
    ticker.now += 11

    assert await verifier.verify(cached) == Entrant(4242), "a cached key is still the issuer's key"
    with pytest.raises(IssuerUnavailableError) as unavailable:
        await verifier.verify(fresh)
    assert unavailable.value.status_code == 503
    with pytest.raises(IssuerUnavailableError):
        await verifier.verify(fresh)  # within the interval: answered from the failed attempt
    assert issuer.fetches == 2

    issuer.down = False
    ticker.now += 11
    assert await verifier.verify(fresh) == Entrant(4242), "recovered without a restart"


async def test_keys_are_refetched_when_old_and_kept_if_the_issuer_is_down(verifier: KakaoVerifier,
                                                                         issuer: MemoryIssuer,
                                                                         ticker: Ticker) -> None:
    token = issuer.token()
    await verifier.verify(token)
    issuer.down = True
    ticker.now += KEYS_MAX_AGE.total_seconds() + 1
    assert await verifier.verify(token) == Entrant(4242)
    assert issuer.fetches == 2, "an hour-old key set is refetched when next used"


async def test_a_key_set_without_rs256_keys_is_an_issuer_failure(ticker: Ticker) -> None:
    class Broken(MemoryIssuer):
        async def signing_keys(self) -> Mapping[str, Any]:
            return {"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "k1"}]}

    broken = Broken()
    verifier = KakaoVerifier(issuer=ISSUER, audience=APP_KEY, keys=broken, clock=FixedClock(NOW), monotonic=ticker)
    with pytest.raises(IssuerUnavailableError):
        await verifier.verify(broken.token())
