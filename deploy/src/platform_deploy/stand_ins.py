"""The stand-ins for the outside world a fleet does not run (the messaging vendor, the sponsor landing, the Kakao
issuer, `#ops-incident`, the mail server), each a real local server started as a process of the fleet."""

from datetime import timedelta
from pathlib import Path

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
