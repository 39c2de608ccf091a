"""Entrant identity in a service (SPEC §9): who the bearer of a Kakao ID token is, logging in with an
authorization code, and every failure counted for ops (seed §9: the outage must be visible)."""

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime

from platform_shared.auth.entrants import Entrant, IssuerUnavailableError
from platform_shared.auth.kakao import KakaoVerifier, TokenRefusedError
from platform_shared.kakao.issuer import KakaoIssuer
from platform_shared.kakao.watch import IssuerWatch

ISSUER_UNAVAILABLE = "issuer_unavailable"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KakaoLoginResult:
    id_token: str
    kakao_user_id: int
    expires_at: datetime


class KakaoLogin:
    def __init__(self, verifier: KakaoVerifier, issuer: KakaoIssuer, watch: IssuerWatch, *, app_key: str,
                 client_secret: str | None) -> None:
        self.verifier = verifier
        self.watch = watch
        self._issuer = issuer
        self._app_key = app_key
        self._client_secret = client_secret

    @property
    def issuer(self) -> str:
        return self._issuer.issuer

    async def entrant(self, id_token: str) -> Entrant:
        """The entrant a bearer token names (from the cached keys; the issuer is asked only for a key not seen)."""
        try:
            return await self.verifier.verify(id_token)
        except (TokenRefusedError, IssuerUnavailableError) as failure:
            self._count(failure)
            raise

    async def login(self, *, code: str, redirect_uri: str, nonce: str) -> KakaoLoginResult:
        """Exchange the authorization code Kakao gave the entrant's browser for an ID token, and check that it
        was issued for this login (`nonce`). The entrant then sends the ID token as its bearer token."""
        try:
            id_token = await self._issuer.exchange_code(code=code, redirect_uri=redirect_uri, client_id=self._app_key,
                                                        client_secret=self._client_secret)
            verified = await self.verifier.verify_id_token(id_token, nonce=nonce)
        except (TokenRefusedError, IssuerUnavailableError) as failure:
            self._count(failure)
            raise
        return KakaoLoginResult(id_token, verified.entrant.kakao_user_id, verified.expires_at)

    async def warm(self) -> None:
        """Fetch the keys at start-up; an issuer down then is recorded, and the service starts anyway
        (browsing never depends on Kakao, seed §9)."""
        try:
            await self.verifier.refresh()
        except IssuerUnavailableError as error:
            _log.warning("Kakao keys not fetched at start: %s", error.message)

    async def probe(self) -> None:
        """While this replica sees the issuer down, ask it again for its keys: the recovery is seen without waiting
        for an entrant, so the fleet's outage ends when the issuer is back (seed §9.3)."""
        if self.watch.up is False:
            with contextlib.suppress(IssuerUnavailableError):
                await self.verifier.refresh()

    async def close(self) -> None:
        await self._issuer.close()

    def _count(self, failure: TokenRefusedError | IssuerUnavailableError) -> None:
        self.watch.login_failed(failure.reason if isinstance(failure, TokenRefusedError) else ISSUER_UNAVAILABLE)

