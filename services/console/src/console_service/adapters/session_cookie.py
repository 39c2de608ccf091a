"""The session cookie's contents: the ConsoleSession as JSON, sealed with AES-GCM under the console's key, so
the browser holds it but can neither read the tokens inside nor change a byte of it (any change → no session)."""

import base64
import binascii
import json
import os
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from console_service.domain.session import ConsoleSession
from platform_shared.auth.access import Role

COOKIE = "console_session"
PURPOSE = b"console-session-v1"
"""Bound into every seal: a cookie sealed for another purpose under the same key does not open here."""


class SessionCookie:
    def __init__(self, key_hex: str) -> None:
        self._aead = AESGCM(bytes.fromhex(key_hex))

    def seal(self, session: ConsoleSession) -> str:
        plain = json.dumps({"account": session.account, "role": session.role.value,
                            "access_token": session.access_token, "refresh_token": session.refresh_token,
                            "csrf": session.csrf, "signed_in_at": session.signed_in_at.isoformat()})
        nonce = os.urandom(12)
        return base64.urlsafe_b64encode(nonce + self._aead.encrypt(nonce, plain.encode(), PURPOSE)).decode()

    def open(self, sealed: str | None) -> ConsoleSession | None:
        """The session in a cookie, or None for no cookie, a tampered one, or one sealed under another key."""
        if not sealed:
            return None
        try:
            raw = base64.urlsafe_b64decode(sealed.encode())
            stored = json.loads(self._aead.decrypt(raw[:12], raw[12:], PURPOSE))
            return ConsoleSession(stored["account"], Role(stored["role"]), stored["access_token"],
                                  stored["refresh_token"], stored["csrf"],
                                  datetime.fromisoformat(stored["signed_in_at"]))
        except (InvalidTag, ValueError, binascii.Error, KeyError, TypeError):
            return None
