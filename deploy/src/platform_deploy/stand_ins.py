"""The stand-ins for the outside world a fleet does not run (the messaging vendor, the sponsor landing, the Kakao
issuer, `#ops-incident`, the mail server, the randomness beacon), each a real local server started as a process
of the fleet."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import httpx

from platform_deploy.fake_beacon import StandInChain
from platform_deploy.processes import free_port
from platform_deploy.service_process import ServiceProcess

FAKE_KAKAO_APP_KEY = "lottery-platform-test-app"


def fake_vendor_process(log_dir: Path) -> ServiceProcess:
    return ServiceProcess("vendor", {}, log_dir, module="platform_deploy.fake_vendor", port_flag="--port")


def fake_messenger_process(log_dir: Path) -> ServiceProcess:
    return ServiceProcess("messenger", {}, log_dir, module="platform_deploy.fake_messenger", port_flag="--port")


def fake_smtp_process(log_dir: Path) -> tuple[ServiceProcess, dict[str, str]]:
    """The mail server stand-in (its control API on the process's port, SMTP on another), and the notifier's
    settings that point at it."""
    smtp_port = free_port()
    process = ServiceProcess("smtp", {}, log_dir, module="platform_deploy.fake_smtp", port_flag="--port",
                             args=["--smtp-port", str(smtp_port)])
    return process, {"NOTIFIER_SMTP_HOST": "127.0.0.1", "NOTIFIER_SMTP_PORT": str(smtp_port),
                     "NOTIFIER_SMTP_FROM": "no-reply@lottery.test"}


def fake_sponsor_process(log_dir: Path, adgate_secret: str, clock_offset: timedelta) -> ServiceProcess:
    env = {"SPONSOR_ADGATE_SECRET": adgate_secret, "SPONSOR_CLOCK_OFFSET_SECONDS": str(clock_offset.total_seconds())}
    return ServiceProcess("sponsor", env, log_dir, module="platform_deploy.fake_sponsor", port_flag="--port")


def fake_kakao_process(log_dir: Path, clock_offset: timedelta) -> ServiceProcess:
    """The Kakao stand-in, on the fleet's clock (its tokens' iat/exp are judged by the services' clocks)."""
    return ServiceProcess("kakao", {}, log_dir, module="platform_deploy.fake_kakao", port_flag="--port",
                          args=["--app-key", FAKE_KAKAO_APP_KEY,
                                "--clock-offset-seconds", str(clock_offset.total_seconds())])


def fake_beacon_process(log_dir: Path, clock_offset: timedelta,
                        clock_file: Path | None = None) -> tuple[ServiceProcess, dict[str, str]]:
    """The drand stand-in (docs/draw-algorithm.md §8.4) on the fleet's clock — its movable clock file when it has
    one, so rounds fall due when the services' clocks say — and the lottery's settings that point at it."""
    chain = StandInChain.from_seed()
    clock = ["--clock-file", str(clock_file)] if clock_file is not None else []
    process = ServiceProcess("beacon", {}, log_dir, module="platform_deploy.fake_beacon", port_flag="--port",
                             args=["--clock-offset-seconds", str(clock_offset.total_seconds()), *clock])
    return process, chain.lottery_env(process.base_url)


def beacon_stand_in(log_dir: Path, clock_offset: timedelta,
                    clock_file: Path | None) -> tuple[ServiceProcess | None, dict[str, str]]:
    """The stand-in and the lottery's settings for it, or none when LOTTERY_BEACON_URL names a real beacon (the
    lottery then reads that and the other LOTTERY_BEACON_* settings from the environment)."""
    if "LOTTERY_BEACON_URL" in os.environ:
        return None, {}
    return fake_beacon_process(log_dir, clock_offset, clock_file)


def control_beacon(beacon: ServiceProcess, action: Literal["up", "down", "hang", "bad-signature"],
                   hang_seconds: float = 60.0) -> dict[str, Any]:
    """Take the beacon stand-in down (503s), make it hang (no answer for `hang_seconds`), answer a wrong
    signature, or bring it back up; its state after."""
    path, body = {"up": ("up", None), "down": ("down", {"mode": "error"}),
                  "hang": ("down", {"mode": "hang", "hang_seconds": hang_seconds}),
                  "bad-signature": ("bad-signature", None)}[action]
    response = httpx.post(f"{beacon.base_url}/_control/{path}", json=body, timeout=10)
    response.raise_for_status()
    return dict(response.json())
