"""One program of a fleet as an OS process: started with its environment, waited for until /health answers,
stopped, or killed -9 (what the crash tests do)."""

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from platform_deploy.processes import free_port, kill, terminate, wait_until


class ServiceProcess:
    def __init__(self, name: str, env: Mapping[str, str], log_dir: Path, module: str | None = None,
                 port_flag: str | None = None, args: Sequence[str] = ()) -> None:
        """Runs `python -m <module> [args]` (default: the service's own); the port reaches it through
        `<NAME>_HTTP_PORT`, or as `<port_flag> <port>` for a program that takes it on the command line."""
        self.name = name
        self.port = free_port()
        self._argv = [sys.executable, "-m", module or f"{name}_service.main",
                      *([port_flag, str(self.port)] if port_flag else []), *args]
        self.base_env = dict(env)
        """What a replica of this service needs (its own port is added per process)."""
        self._env = {**env, f"{name.upper()}_HTTP_PORT": str(self.port)}
        self.log_path = log_dir / f"{name}-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, extra_env: Mapping[str, str] | None = None, *, wait: bool = True) -> None:
        log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            self._argv,
            env={**os.environ, **self._env, **(extra_env or {})},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        if wait:
            self.wait_healthy()

    def wait_healthy(self, timeout: float = 60.0) -> None:
        process = self._process
        wait_until(self._healthy, timeout=timeout, what=f"{self.name} service (log: {self.log_path})",
                   alive=lambda: process is not None and process.poll() is None)

    def wait_exited(self, timeout: float = 30.0) -> int:
        assert self._process is not None
        return self._process.wait(timeout=timeout)

    @property
    def peak_memory_kib(self) -> int | None:
        """The process's peak resident memory so far (Linux `VmHWM`), None when it is not running."""
        try:
            status = Path(f"/proc/{self._process.pid}/status").read_text() if self._process else ""
        except OSError:
            return None
        return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), None)

    def stop(self) -> None:
        if self._process is not None:
            terminate(self._process)

    def kill(self) -> None:
        if self._process is not None:
            kill(self._process)

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.base_url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
