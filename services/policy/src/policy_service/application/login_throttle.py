"""How fast anyone may try a password or a second factor (SPEC §7, seed §2 "admin whitelist + 2FA"): per
client address and per typed name, before any account is looked up, so a name no account has is answered
exactly as one that exists — the same 429, the same message, a Retry-After — and costs the same argon2 work.

Two bounds: a rate (the `limits` library's sliding window counter, as the edge's limits: every attempt
counts), and the lock after failures in a row, kept for every name (domain/failed_names.py) besides the
account's own. Both are in process memory: each replica bounds what it serves."""

import hashlib
import math
import time
from datetime import datetime

from limits import RateLimitItem, parse
from limits.aio import storage as aio_storage
from limits.aio import strategies as aio_strategies

from platform_shared.errors import TooManyAttemptsError
from policy_service.domain.credentials import Lockout
from policy_service.domain.failed_names import FailedNames

LOCKED = "too many failed attempts: this account is locked for now"
"""The one answer of a lock, whether it was kept for the account or for the name."""


def locked(lock: Lockout, now: datetime) -> TooManyAttemptsError:
    return TooManyAttemptsError(LOCKED, retry_after_seconds=lock.seconds_left(now))


class LoginThrottle:
    """Attempts per address and per name over a sliding window, e.g. "30/minute"; failures per name."""

    def __init__(self, per_address: str, per_name: str, failed: FailedNames | None = None) -> None:
        self._window = aio_strategies.SlidingWindowCounterRateLimiter(aio_storage.MemoryStorage())
        self._per_address: RateLimitItem = parse(per_address)
        self._per_name: RateLimitItem = parse(per_name)
        self._failed = failed or FailedNames()

    async def admit(self, address: str | None, name: str) -> None:
        """One attempt for `name` from `address` (the TCP peer; None when unknown, as under a test client);
        429 past either rate."""
        if address is not None:
            await self._hit(self._per_address, "address", address, "this address")
        # Kept as a digest: people type their password into the account field.
        await self._hit(self._per_name, "name", hashlib.sha256(name.encode()).hexdigest(), "this account")

    def refuse_while_locked(self, name: str, now: datetime) -> None:
        """429 while the name is locked (checked before the account's own lock, so both kinds answer alike)."""
        lock = self._failed.lockout(name, now)
        if lock is not None:
            raise locked(lock, now)

    def count_failure(self, name: str, now: datetime) -> None:
        self._failed.count_failure(name, now)

    def clear_failures(self, name: str) -> None:
        self._failed.clear(name)

    async def _hit(self, limit: RateLimitItem, kind: str, who: str, whom: str) -> None:
        if not await self._window.hit(limit, kind, who):
            reset = (await self._window.get_window_stats(limit, kind, who)).reset_time
            raise TooManyAttemptsError(f"too many login attempts for {whom} (at most {limit}); slow down",
                                       retry_after_seconds=max(1, math.ceil(reset - time.time())))
