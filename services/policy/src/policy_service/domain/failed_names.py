"""Failed attempts per typed name, whether an account has it or not (SPEC §7, seed §2 "admin whitelist +
2FA"): pure. An account's own lock lives in its row; a name no account has would never lock, and the 429
would tell an attacker which names exist. Counted here, every name locks alike, on the same schedule
(`lock_after`), and a success clears it as it clears the account's count.

Held in memory, a bounded number of names (the least recently failed are forgotten first); a name is kept
as its SHA-256, since people type their password into the account field."""

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from policy_service.domain.credentials import Lockout, lock_after, lockout

NAMES_REMEMBERED = 50_000


@dataclass
class _Failures:
    in_a_row: int = 0
    locked_until: datetime | None = None


class FailedNames:
    def __init__(self, capacity: int = NAMES_REMEMBERED) -> None:
        self._capacity = capacity
        self._names: OrderedDict[bytes, _Failures] = OrderedDict()

    def lockout(self, name: str, now: datetime) -> Lockout | None:
        failures = self._names.get(_key(name))
        return lockout(failures.locked_until, now) if failures else None

    def count_failure(self, name: str, now: datetime) -> None:
        key = _key(name)
        failures = self._names.pop(key, None) or _Failures()
        failures.in_a_row += 1
        lock = lock_after(failures.in_a_row)
        failures.locked_until = now + lock if lock else None
        self._names[key] = failures
        while len(self._names) > self._capacity:
            self._names.popitem(last=False)

    def clear(self, name: str) -> None:
        self._names.pop(_key(name), None)


def _key(name: str) -> bytes:
    return hashlib.sha256(name.encode()).digest()
