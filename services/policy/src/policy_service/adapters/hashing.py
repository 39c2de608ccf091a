"""argon2id for passwords and backup codes (argon2-cffi's defaults follow RFC 9106's recommendation)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the account does not exist, so an unknown name costs the same time as a wrong password.
_DECOY = _hasher.hash("decoy password never matched")


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def secret_matches(stored_hash: str | None, secret: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DECOY, secret) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
