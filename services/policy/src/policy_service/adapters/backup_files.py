"""The directory backup files are written to. Blocking file I/O: call it through `asyncio.to_thread`."""

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


class BackupDirectory:
    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, name: str, content: bytes) -> Path:
        """Atomically: a reader (or a crash) sees the previous file or the whole new one, never a part."""
        self.path.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.path)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            target = self.path / name
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._sync_directory()  # the rename itself survives a power cut
        return target

    def names(self) -> list[str]:
        return sorted(entry.name for entry in self.path.iterdir() if entry.is_file()) if self.path.is_dir() else []

    def sizes(self) -> list[tuple[str, int]]:
        return [(name, (self.path / name).stat().st_size) for name in self.names()]

    def remove(self, names: Iterable[str]) -> None:
        for name in names:
            (self.path / name).unlink(missing_ok=True)

    def _sync_directory(self) -> None:
        descriptor = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
