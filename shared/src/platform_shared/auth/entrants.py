"""Entrants (SPEC §9, seed §9): people who log in with Kakao. A Kakao ID token (OIDC, RS256) verified
locally against the issuer's published keys names the entrant: its `sub` is the kakaoUserId. Pure: what an
entrant is, and the refusals of entrant routes; auth/kakao.py verifies the tokens."""

from dataclasses import dataclass

from platform_shared.errors import DomainError


@dataclass(frozen=True)
class Entrant:
    """Who is calling an entrant route, as a verified Kakao ID token says."""

    kakao_user_id: int
    """The token's `sub`: Kakao's user id, a positive 64-bit integer."""


class IssuerUnavailableError(DomainError):
    """The Kakao issuer cannot be reached to check a token (seed §9, an outage): entry waits, browsing goes
    on. The answer carries the policy's outage banner."""

    status_code = 503
