"""`waitlist-service`: migrate the waitlist database, then serve."""

from pathlib import Path

from platform_shared.service.serve import serve
from waitlist_service.bootstrap import build_app
from waitlist_service.settings import WaitlistSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def main() -> None:
    serve("waitlist", WaitlistSettings(), MIGRATIONS, build_app)


if __name__ == "__main__":
    main()
