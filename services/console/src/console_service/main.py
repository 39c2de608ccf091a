"""`console-service`: serve the operators' console (no database of its own to migrate)."""

import uvicorn

from console_service.bootstrap import build_app
from console_service.settings import ConsoleSettings
from platform_shared.observability.logs import configure_logging
from platform_shared.time.clock import process_clock


def main() -> None:
    settings = ConsoleSettings()  # read from the environment
    configure_logging("console", process_clock(settings.clock_offset_seconds, settings.clock_file))
    uvicorn.run(build_app(settings), host=settings.http_host, port=settings.http_port, log_level="warning",
                log_config=None, access_log=False)


if __name__ == "__main__":
    main()
