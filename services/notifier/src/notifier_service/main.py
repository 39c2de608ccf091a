"""`notifier-service`: migrate the notifier database, then serve."""

from pathlib import Path

from notifier_service.bootstrap import build_app
from notifier_service.settings import NotifierSettings
from platform_shared.service.serve import serve

MIGRATIONS = Path(__file__).parent / "migrations"


def main() -> None:
    serve("notifier", NotifierSettings(), MIGRATIONS, build_app)


if __name__ == "__main__":
    main()
