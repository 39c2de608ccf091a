"""Kakao login at the edge (SPEC §9, seed §9): the issuer over HTTP, the outage watch, the login use case."""
