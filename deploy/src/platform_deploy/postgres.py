"""PostgreSQL 15 from the machine's server binaries, in a temporary directory on a free port.

`initdb`, `pg_ctl` and `postgres` refuse to run as root; CI runs as root, so there they run as the
`postgres` system user on a data directory that user owns.

Every connection proves its password (`scram-sha-256` in pg_hba.conf, never `trust`): the superuser's is new
for each server, and each service role's is set when its database is provisioned, so one service's role cannot
connect as another's.
"""

import asyncio
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from platform_deploy.processes import free_port, wait_until

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
_FAST_TEST_SETTINGS = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                       "-c max_connections=300 -c shared_buffers=128MB")


class LocalPostgres:
    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="lottery-pg-"))
        self._data = self._dir / "data"
        self.port = free_port()
        self._password = secrets.token_hex(16)
        self._user = _unprivileged_user()
        if self._user is not None:
            shutil.chown(self._dir, self._user.pw_name, self._user.pw_name)

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres:{self._password}@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(f"PostgreSQL server binaries not found in {PG_BIN} (set PG_BIN)")
        password_file = self._dir / "superuser-password"
        password_file.write_text(self._password + "\n")
        if self._user is not None:
            shutil.chown(password_file, self._user.pw_name, self._user.pw_name)
        password_file.chmod(0o600)
        self._run(PG_BIN / "initdb", "-D", self._data, "--no-sync", "--auth=scram-sha-256", f"--pwfile={password_file}",
                  "-U", "postgres", "-E", "UTF8", "--locale=C")
        password_file.unlink()
        self._launch()

    def restart(self, down_seconds: float = 0.0) -> None:
        """A fast shutdown (connections cut, as a crash or failover cuts them), down for a while, started again
        on the same data and port: a database restart for fault-injection runs."""
        self._run(PG_BIN / "pg_ctl", "-D", self._data, "-m", "fast", "-w", "stop")
        time.sleep(down_seconds)
        self._launch()

    def _launch(self) -> None:
        self._run(PG_BIN / "pg_ctl", "-D", self._data, "-l", self._dir / "postgres.log", "-w", "-t", "60",
                  "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self._dir} {_FAST_TEST_SETTINGS}",
                  "start")
        wait_until(lambda: _accepts_connections(self.admin_url), timeout=30, what="PostgreSQL")

    def stop(self) -> None:
        if (self._data / "postmaster.pid").exists():
            self._run(PG_BIN / "pg_ctl", "-D", self._data, "-m", "fast", "-w", "stop")
        shutil.rmtree(self._dir, ignore_errors=True)

    def _run(self, *command: object) -> None:
        argv = [str(part) for part in command]
        if self._user is not None:
            argv = ["runuser", "-u", self._user.pw_name, "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, cwd=self._dir)


def _unprivileged_user() -> pwd.struct_passwd | None:
    """The user to run the server binaries as: None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and no 'postgres' or 'nobody' user to run PostgreSQL as")


def _accepts_connections(url: str) -> bool:
    async def probe() -> bool:
        try:
            connection = await asyncpg.connect(url, timeout=2)
        except (OSError, asyncpg.PostgresError):
            return False
        await connection.close()
        return True

    return asyncio.run(probe())


@dataclass(frozen=True)
class ServiceDatabase:
    owner_url: str
    """The owner role: runs the migrations (and is who could switch the audit log's triggers off)."""
    runtime_url: str
    """The role the service runs as: INSERT and SELECT only on the audit log (SPEC §7)."""


def provision_databases(admin_url: str, names: list[str]) -> dict[str, ServiceDatabase]:
    """Per service: a database owned by `<name>_owner`, and a `<name>_runtime` login role. Passwords are new
    each time (an existing role gets the new one). The runtime role's table rights are granted by the
    service itself after migrating (platform_shared.service.migrations.grant_runtime_access)."""
    passwords = {f"{name}_{kind}": secrets.token_hex(16) for name in names for kind in ("owner", "runtime")}

    async def create() -> None:
        connection = await asyncpg.connect(admin_url)
        try:
            roles = {row["rolname"] for row in await connection.fetch("SELECT rolname FROM pg_roles")}
            for role, password in passwords.items():
                verb = "ALTER" if role in roles else "CREATE"
                await connection.execute(f"{verb} ROLE \"{role}\" LOGIN PASSWORD '{password}'")
            existing = {row["datname"] for row in await connection.fetch("SELECT datname FROM pg_database")}
            for name in names:
                if name not in existing:
                    await connection.execute(f'CREATE DATABASE "{name}" OWNER "{name}_owner"')
                else:
                    await connection.execute(f'ALTER DATABASE "{name}" OWNER TO "{name}_owner"')
                await connection.execute(f'REVOKE ALL ON DATABASE "{name}" FROM PUBLIC')
                await connection.execute(f'GRANT CONNECT ON DATABASE "{name}" TO "{name}_runtime"')
        finally:
            await connection.close()

    asyncio.run(create())
    parts = urlsplit(admin_url)
    host = parts.netloc.rsplit("@", 1)[-1]

    def url(role: str, name: str) -> str:
        return urlunsplit(parts._replace(scheme="postgresql+asyncpg", netloc=f"{role}:{passwords[role]}@{host}",
                                         path=f"/{name}"))

    return {name: ServiceDatabase(url(f"{name}_owner", name), url(f"{name}_runtime", name)) for name in names}


@contextmanager
def benchmark_database(prefix: str) -> Iterator[str]:
    """A new database owned by a role of its own (its owner's URL): on DATABASE_URL's server, else on a throwaway
    local server, stopped afterwards. What the benchmarks measure on."""
    with ExitStack() as stack:
        server = os.environ.get("DATABASE_URL")
        if not server:
            postgres = LocalPostgres()
            stack.callback(postgres.stop)
            postgres.start()
            server = postgres.admin_url
        name = f"{prefix}_{secrets.token_hex(3)}"
        yield provision_databases(server, [name])[name].owner_url
