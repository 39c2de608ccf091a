"""Where the services are: a profile file `lottery-ops` reads by default, written by whoever started them
(`make demo ARGS=--keep-running`). OPS_PROFILE names another file; OPS_<SERVICE>_URL overrides one address."""

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

SERVICES = {"policy": 8001, "lottery": 8002, "waitlist": 8003, "notifier": 8004}
"""Default addresses: the ports docker-compose.yml publishes."""


def profile_file() -> Path:
    configured = os.environ.get("OPS_PROFILE")
    if configured:
        return Path(configured)
    config_home = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config_home) / "lottery-ops" / "profile.toml"


def read_profile() -> dict[str, str]:
    """Service → base URL from the profile file; none when there is no file (a broken one is an error the
    operator must see, not a silent fallback to the default ports)."""
    path = profile_file()
    try:
        document = tomllib.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path}: not a readable profile ({error})") from error
    services = document.get("services", {})
    return {name: str(url) for name, url in services.items() if name in SERVICES}


def write_profile(addresses: Mapping[str, str], written_by: str) -> Path:
    """The services' addresses for `lottery-ops`; the file names who wrote it."""
    path = profile_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# written by {written_by}; `lottery-ops` reads it by default", "[services]"]
    lines += [f'{name} = "{url}"' for name, url in addresses.items() if name in SERVICES]
    path.write_text("\n".join(lines) + "\n")
    return path


def remove_profile(addresses: Mapping[str, str]) -> None:
    """Take the file away when the services it names stop, unless someone has written another since."""
    path = profile_file()
    try:
        if read_profile() == {name: url for name, url in addresses.items() if name in SERVICES}:
            path.unlink()
    except (OSError, ValueError):
        pass


def url_of(service: str) -> str:
    """OPS_<SERVICE>_URL, else the profile's, else the default port."""
    return (os.environ.get(f"OPS_{service.upper()}_URL") or read_profile().get(service)
            or f"http://localhost:{SERVICES[service]}")
