"""`waitlist-service`: migrate the waitlist database, then serve."""

from pathlib import Path

from platform_shared.serve import serve
from waitlist_service.bootstrap import build_app
from waitlist_service.settings import WaitlistSettings


def main() -> None:
    serve(WaitlistSettings(), Path(__file__).parent / "migrations", build_app)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
