"""What the browser tests drive (tests/browser, README "Browser tests"): Debian's Chromium with the Noto CJK fonts,
installed with apt-get when missing, and axe-core, the accessibility rules the tests inject into each page.

Playwright's own browser download cannot work on these machines, so Playwright launches Debian's binary. axe-core
comes from the npm registry through npm itself (as the Kafka jars come through Maven): one pinned version, its
tarball checked against the sha512 the registry published for it, kept in the cache and never in the repository.
"""

import base64
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from platform_deploy.paths import cache_dir

CHROMIUM = Path("/usr/bin/chromium")
# Without a CJK font Chromium draws Korean as empty boxes, and the screenshots in docs/console/ would show them.
KOREAN_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
BROWSER_PACKAGES = ("chromium", "fonts-noto-cjk")

AXE_VERSION = "4.14.1"
# `npm view axe-core@4.14.1 dist.integrity`: what the registry says the tarball hashes to.
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="


class BrowserSetupError(RuntimeError):
    """The browser or axe-core is missing and cannot be installed from here; the message says what to run."""


def ensure_chromium(chromium: Path = CHROMIUM, font: Path = KOREAN_FONT) -> Path:
    """Debian's Chromium and the Korean font, installed once (as root, as CI runs); later calls only look."""
    if chromium.exists() and font.exists():
        return chromium
    install = ["apt-get", "install", "-y", "-q", *BROWSER_PACKAGES]
    if os.geteuid() != 0:
        raise BrowserSetupError(f"the browser tests need {' and '.join(BROWSER_PACKAGES)} ({chromium} or {font} is "
                                f"missing); install them as root: {' '.join(install)}")
    # A machine's package lists may be stale or absent; refresh them only when the install needs it.
    if _apt(install).returncode != 0:
        _apt(["apt-get", "update", "-q"])
        _apt(install)
    if not (chromium.exists() and font.exists()):
        raise BrowserSetupError(f"`{' '.join(install)}` did not provide {chromium} and {font} (see its output above)")
    return chromium


def _apt(command: list[str]) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(command, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, check=False)
    except FileNotFoundError as missing:
        raise BrowserSetupError(f"no apt-get here to install {' and '.join(BROWSER_PACKAGES)}: install them "
                                "with this system's package manager") from missing


def ensure_axe_core(version: str = AXE_VERSION, integrity: str = AXE_INTEGRITY) -> Path:
    """axe.min.js of the pinned axe-core, fetched once with `npm pack` and verified; later calls reuse the cache."""
    home = cache_dir() / f"axe-core-{version}"
    script = home / "axe.min.js"
    if script.exists():
        return script
    staging = Path(tempfile.mkdtemp(prefix="axe-core-", dir=cache_dir()))
    try:
        tarball = _npm_pack(f"axe-core@{version}", staging)
        verify_integrity(tarball, integrity)
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/axe.min.js")
            if member is None:
                raise BrowserSetupError(f"{tarball.name} has no package/axe.min.js")
            (staging / "axe.min.js").write_bytes(member.read())
        tarball.unlink()
        shutil.rmtree(home, ignore_errors=True)
        staging.rename(home)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return script


def _npm_pack(spec: str, directory: Path) -> Path:
    try:
        packed = subprocess.run(["npm", "pack", spec, "--silent", "--pack-destination", str(directory)],
                                cwd=directory, capture_output=True, text=True, check=False)
    except FileNotFoundError as missing:
        raise BrowserSetupError(f"npm is needed to fetch {spec} from the npm registry") from missing
    tarballs = sorted(directory.glob("*.tgz"))
    if packed.returncode != 0 or len(tarballs) != 1:
        raise BrowserSetupError(f"`npm pack {spec}` failed:\n{(packed.stdout + packed.stderr)[-2000:]}")
    return tarballs[0]


def verify_integrity(path: Path, integrity: str) -> None:
    """Compare a file with an npm integrity string (`sha512-<base64 digest>`); refuse it on any difference."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise BrowserSetupError(f"unsupported integrity {integrity!r}: pin a sha512 one")
    actual = base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()
    if actual != expected:
        raise BrowserSetupError(f"{path.name} does not match its pinned integrity: expected sha512-{expected}, "
                                f"got sha512-{actual}; nothing was cached")


if __name__ == "__main__":
    # `make browser`: a module run rather than a `platform` command, so the check costs a tenth of a second.
    print(ensure_chromium())
    print(ensure_axe_core())
