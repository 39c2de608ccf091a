"""Where the launcher finds the repository and keeps what it downloads."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
KAFKA_POM = REPO_ROOT / "deploy" / "kafka" / "pom.xml"


def cache_dir() -> Path:
    """Downloaded jars live here, never in the repository (PLATFORM_CACHE_DIR overrides)."""
    path = Path(os.environ.get("PLATFORM_CACHE_DIR", Path.home() / ".cache" / "lottery-platform"))
    path.mkdir(parents=True, exist_ok=True)
    return path
