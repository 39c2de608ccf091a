"""Signed control records (SPEC §7): the records that steer every service — the policy snapshot
(`policy_changed`), admin accounts' token revocations (`admin_accounts`) and audit anchors
(`audit_anchors`) — carry an Ed25519 signature by the service that wrote them, checked by every consumer
against the published keys (`EVENT_KEYS`). A principal that may write a topic on the broker still cannot
make a record the services accept: that needs the originating service's private key.

The signature covers the topic, the record key and the value, so a signed record cannot be replayed onto
another topic or under another key. Pure: the keys come from settings, the records from the messaging layer."""

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from platform_shared.contracts.records import SIGNATURE, SIGNED_BY, SIGNER


class BadSignature(ValueError):
    """A control record the services must not apply: unsigned, signed by nobody known, or altered."""


def _signed_bytes(topic: str, key: bytes | None, value: bytes) -> bytes:
    return b"\0".join((topic.encode(), key or b"", value))


@dataclass(frozen=True)
class RecordSigner:
    """A service's private signing key (`<SERVICE>_EVENT_SIGNING_KEY`, 32 bytes in base64)."""

    service: str
    key: Ed25519PrivateKey

    @classmethod
    def from_base64(cls, service: str, encoded: str) -> "RecordSigner":
        return cls(service, Ed25519PrivateKey.from_private_bytes(_decoded(encoded, "the event signing key")))

    def headers(self, topic: str, key: bytes | None, value: bytes) -> dict[str, str]:
        """The headers that sign a record of `topic` (none for a topic that is not signed)."""
        if topic not in SIGNED_BY:
            return {}
        signature = self.key.sign(_signed_bytes(topic, key, value))
        return {SIGNER: self.service, SIGNATURE: base64.b64encode(signature).decode()}


class PublishedKeys:
    """Every service's public key (`EVENT_KEYS`: a JSON object, service → 32 bytes in base64)."""

    def __init__(self, keys: Mapping[str, Ed25519PublicKey]) -> None:
        self._keys = dict(keys)

    @classmethod
    def from_json(cls, document: str) -> "PublishedKeys":
        try:
            parsed = json.loads(document) if document.strip() else {}
        except json.JSONDecodeError as error:
            raise ValueError("EVENT_KEYS is not a JSON object of service → public key") from error
        if not isinstance(parsed, dict) or not all(isinstance(v, str) for v in parsed.values()):
            raise ValueError("EVENT_KEYS is not a JSON object of service → public key")
        return cls({service: Ed25519PublicKey.from_public_bytes(_decoded(encoded, f"{service}'s public key"))
                    for service, encoded in parsed.items()})

    def check(self, topic: str, key: bytes | None, value: bytes, headers: Mapping[str, bytes]) -> None:
        """Raises BadSignature, saying why, unless the record is signed by a service allowed to sign `topic`."""
        if topic not in SIGNED_BY:
            return
        signer = headers.get(SIGNER, b"").decode(errors="replace")
        if not signer or SIGNATURE not in headers:
            raise BadSignature(f"unsigned record on {topic}: the services apply only signed control records")
        allowed = SIGNED_BY[topic]
        public = self._keys.get(signer)
        if public is None or (allowed is not None and signer not in allowed):
            raise BadSignature(f"record on {topic} signed as {signer!r}, who may not sign it")
        try:
            public.verify(base64.b64decode(headers[SIGNATURE], validate=True), _signed_bytes(topic, key, value))
        except (InvalidSignature, binascii.Error, ValueError) as error:
            raise BadSignature(f"record on {topic}: its signature by {signer!r} does not match it") from error


def new_signing_key() -> tuple[str, str]:
    """A fresh key pair, (private, public), each 32 bytes in base64: for `platform service-keys`."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(private).decode(), base64.b64encode(public).decode()


def _decoded(encoded: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"{what} is not base64") from error
    if len(raw) != 32:
        raise ValueError(f"{what} is not 32 bytes")
    return raw
