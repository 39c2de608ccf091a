"""How `make browser` (platform_deploy.browser) installs what the browser tests drive, with stand-ins for apt-get and
npm on PATH: Chromium is installed only when missing, and only as root; apt-get's lists are refreshed only when the
install needs them; axe-core is cached only when its tarball matches the pinned integrity."""

import base64
import hashlib
import io
import os
import tarfile
from pathlib import Path

import pytest

from platform_deploy.browser import BrowserSetupError, ensure_axe_core, ensure_chromium, verify_integrity


def stand_in(bin_dir: Path, name: str, script: str) -> None:
    """An executable `name` on a PATH of its own that logs its arguments to bin_dir/calls before running `script`."""
    path = bin_dir / name
    path.write_text(f'#!/bin/sh\necho "{name} $*" >> "{bin_dir}/calls"\n{script}\n')
    path.chmod(0o755)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "bin"
    directory.mkdir()
    monkeypatch.setenv("PATH", f"{directory}:/usr/bin:/bin")
    return directory


def calls(bin_dir: Path) -> list[str]:
    log = bin_dir / "calls"
    return log.read_text().splitlines() if log.exists() else []


def test_an_installed_browser_is_only_looked_at(bin_dir: Path, tmp_path: Path) -> None:
    chromium, font = tmp_path / "chromium", tmp_path / "font.ttc"
    chromium.touch()
    font.touch()
    stand_in(bin_dir, "apt-get", "exit 1")
    assert ensure_chromium(chromium, font) == chromium
    assert calls(bin_dir) == []


def test_a_missing_browser_is_installed_as_root(bin_dir: Path, tmp_path: Path, monkeypatch) -> None:
    chromium, font = tmp_path / "chromium", tmp_path / "font.ttc"
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    chromium.touch()  # the font alone is missing: screenshots would show boxes for Korean
    stand_in(bin_dir, "apt-get", f'[ "$1" = install ] && touch "{font}"')
    assert ensure_chromium(chromium, font) == chromium
    assert calls(bin_dir) == ["apt-get install -y -q chromium fonts-noto-cjk"]


def test_stale_package_lists_are_refreshed_then_the_install_is_tried_again(bin_dir, tmp_path, monkeypatch) -> None:
    chromium, font = tmp_path / "chromium", tmp_path / "font.ttc"
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    updated = tmp_path / "updated"
    stand_in(bin_dir, "apt-get", f'[ "$1" = update ] && touch "{updated}" && exit 0\n'
                                 f'[ -e "{updated}" ] || exit 100\ntouch "{chromium}" "{font}"')
    assert ensure_chromium(chromium, font) == chromium
    assert calls(bin_dir) == ["apt-get install -y -q chromium fonts-noto-cjk", "apt-get update -q",
                              "apt-get install -y -q chromium fonts-noto-cjk"]


def test_an_install_that_fails_says_so(bin_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    stand_in(bin_dir, "apt-get", "exit 100")
    with pytest.raises(BrowserSetupError, match="did not provide"):
        ensure_chromium(tmp_path / "chromium", tmp_path / "font.ttc")


def test_without_root_a_missing_browser_is_a_clear_error(bin_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    stand_in(bin_dir, "apt-get", "exit 0")
    with pytest.raises(BrowserSetupError, match=r"install them as root: apt-get install -y -q chromium fonts-noto-cjk"):
        ensure_chromium(tmp_path / "chromium", tmp_path / "font.ttc")
    assert calls(bin_dir) == []


def packed(content: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("package/axe.min.js")
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@pytest.fixture
def npm_serving(bin_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """A stand-in npm whose `pack` writes a tarball of axe.min.js where it is told to; the cache is a fresh one."""
    tarball = packed(b"window.axe = {};")
    (tmp_path / "axe.tgz").write_bytes(tarball)
    stand_in(bin_dir, "npm", f'cp "{tmp_path / "axe.tgz"}" "$5/axe-core-9.9.9.tgz"')
    monkeypatch.setenv("PLATFORM_CACHE_DIR", str(tmp_path / "cache"))
    return tarball


def test_axe_core_is_fetched_with_npm_verified_and_cached(npm_serving: bytes, bin_dir: Path) -> None:
    script = ensure_axe_core("9.9.9", integrity_of(npm_serving))
    assert script.read_text() == "window.axe = {};"
    [npm] = calls(bin_dir)
    assert npm.startswith("npm pack axe-core@9.9.9 --silent --pack-destination ")
    assert ensure_axe_core("9.9.9", integrity_of(npm_serving)) == script
    assert len(calls(bin_dir)) == 1, "the second call reads the cache"


def test_a_tarball_that_does_not_match_its_integrity_is_refused_and_not_cached(npm_serving, tmp_path) -> None:
    with pytest.raises(BrowserSetupError, match="does not match its pinned integrity"):
        ensure_axe_core("9.9.9", integrity_of(npm_serving + b"tampered"))
    assert list((tmp_path / "cache").iterdir()) == []


def test_only_sha512_integrity_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(BrowserSetupError, match="pin a sha512 one"):
        verify_integrity(tmp_path / "file", "sha1-" + base64.b64encode(hashlib.sha1(b"x").digest()).decode())
