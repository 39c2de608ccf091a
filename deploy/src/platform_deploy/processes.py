"""Small process helpers shared by the Kafka, PostgreSQL and service launchers."""

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable

_handed_out: set[int] = set()


def free_port() -> int:
    """A free loopback port, never one this process handed out before (the kernel may offer a port
    again once its probe socket is closed, and Kafka, PostgreSQL and services bind theirs later)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def wait_until(check: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.2,
               alive: Callable[[], bool] = lambda: True) -> None:
    """Poll `check` until it is true; fail early if the process behind it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if not alive():
            raise RuntimeError(f"{what}: the process exited before it was ready")
        time.sleep(interval)
    raise TimeoutError(f"{what}: not ready after {timeout:.0f}s")


def terminate(process: subprocess.Popen[bytes], *, grace: float = 15.0) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left after `grace` seconds."""
    if process.poll() is not None:
        return
    with _ignore_missing():
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        kill(process)


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL, no goodbyes: what a crash looks like."""
    with _ignore_missing():
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


class _ignore_missing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: object, tb: object) -> bool:
        return exc_type is ProcessLookupError
