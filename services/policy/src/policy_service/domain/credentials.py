"""The rules of admin credentials (SPEC §7, seed §2 "admin whitelist + 2FA", §10): pure.

- TOTP (RFC 6238, 30 s steps) accepts the current step and one either side (clock drift), and each
  step once: a code seen before, or older than the last one accepted, is refused (replay). A replay is
  not a guess: it does not count towards the lock, or anyone who saw one code could lock its holder out.
- Failed logins lock the account with growing delays: the fifth failure in a row locks it for a minute,
  each further failure doubles that, up to an hour. A success clears the count.
- Backup codes: ten, random, one-time; shown once, kept only as hashes.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp

TOTP_DRIFT_STEPS = 1
FREE_FAILURES = 4
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)
BACKUP_CODE_COUNT = 10
MIN_PASSWORD_LENGTH = 12
ISSUER_NAME = "Lottery platform admin"


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER_NAME)


def accepted_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step `code` belongs to, if it is valid at `now` and newer than `last_step`; else None."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        if secrets.compare_digest(totp.generate_otp(step), code) and (last_step is None or step > last_step):
            return step
    return None


def replayed_step(secret: str, code: str, now: datetime, last_step: int | None) -> bool:
    """Whether `code` is right for a step valid at `now` that is no newer than `last_step`: refused, yet the
    code of the holder's own device, seen or sent again, rather than a guess."""
    if last_step is None:
        return False
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    return any(step <= last_step and secrets.compare_digest(totp.generate_otp(step), code)
               for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1))


def lock_after(failures: int) -> timedelta | None:
    """How long the account locks after `failures` failed attempts in a row (None: not locked)."""
    if failures <= FREE_FAILURES:
        return None
    doublings = min(failures - FREE_FAILURES - 1, 12)  # 2^12 minutes is past the cap already
    lock: timedelta = FIRST_LOCK * 2**doublings
    return min(lock, LONGEST_LOCK)


@dataclass(frozen=True)
class Lockout:
    until: datetime

    def seconds_left(self, now: datetime) -> int:
        return max(1, int((self.until - now).total_seconds() + 0.999))


def lockout(locked_until: datetime | None, now: datetime) -> Lockout | None:
    return Lockout(locked_until) if locked_until is not None and locked_until > now else None


def new_backup_codes() -> list[str]:
    """Ten codes like `k3m9-x2p7-q8w4` (about 59 bits each): typed by hand, so no look-alike characters."""
    alphabet = "23456789abcdefghjkmnpqrstuvwxyz"
    return ["-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
            for _ in range(BACKUP_CODE_COUNT)]


def normalise_backup_code(code: str) -> str:
    return code.strip().lower().replace(" ", "")
