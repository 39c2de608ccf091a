"""argon2id for passwords and backup codes (argon2-cffi's defaults follow RFC 9106's recommendation).

Each hash or check takes tens of milliseconds of CPU and 64 MiB: it runs in a small pool of worker threads
(argon2-cffi releases the GIL while it works), never on the event loop, so a flood of logins queues behind
`HASHING_WORKERS` threads while `/health` and every other request are served (SPEC §7)."""

import asyncio
import contextlib
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHING_WORKERS = 2
"""At most this many argon2 computations at once per process: leaves the event loop a core of its own."""
HASHING_NICENESS = 10
"""How much lower than the event loop the workers run: on a busy machine requests go first, logins wait."""

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


@cache
def _workers() -> ThreadPoolExecutor:
    """Made on first use, not at import; its threads start as work arrives."""
    return ThreadPoolExecutor(max_workers=HASHING_WORKERS, thread_name_prefix="argon2", initializer=_yield_first)


def _yield_first() -> None:
    """Lower this worker thread's priority (Linux keeps one per thread; argon2's lane threads inherit it)."""
    with contextlib.suppress(AttributeError, OSError):  # no per-thread priority here: the pool bound still holds
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


async def hashed(secret: str) -> str:
    """`hash_secret`, off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_workers(), hash_secret, secret)


async def hashed_all(secrets: Sequence[str]) -> list[str]:
    return list(await asyncio.gather(*(hashed(secret) for secret in secrets)))


async def matches(stored_hash: str | None, secret: str) -> bool:
    """`secret_matches`, off the event loop: an unknown account (None) costs the same argon2 work."""
    return await asyncio.get_running_loop().run_in_executor(_workers(), secret_matches, stored_hash, secret)
