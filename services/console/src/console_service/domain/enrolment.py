"""What the holder needs to enrol the new secret after a 2FA reset (seed §10), read from the policy service's
provisioning URI (`otpauth://totp/…?secret=…&issuer=…`): the secret for typing in by hand. Pure."""

from urllib.parse import parse_qs, urlsplit

from console_service.domain.sections import N_

RESET_STATUSES = (N_("reset:requested"), N_("reset:approved"), N_("reset:enrolled"))
"""A reset's status as the accounts page shows it (`_("reset:" + status)`; policy domain/resets.py)."""


def secret_of(provisioning_uri: str) -> str:
    """The base32 secret, or "" when the URI carries none."""
    return parse_qs(urlsplit(provisioning_uri).query).get("secret", [""])[0]


def grouped(secret: str, size: int = 4) -> str:
    """`JBSW Y3DP EHPK 3PXP`: easier to type from the screen (authenticator apps ignore the spaces)."""
    return " ".join(secret[i:i + size] for i in range(0, len(secret), size))
