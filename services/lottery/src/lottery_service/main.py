"""`lottery-service`: migrate the lottery database, then serve."""

from pathlib import Path

from lottery_service.bootstrap import build_app
from lottery_service.settings import LotterySettings
from platform_shared.service.serve import serve

MIGRATIONS = Path(__file__).parent / "migrations"


def main() -> None:
    serve("lottery", LotterySettings(), MIGRATIONS, build_app)


if __name__ == "__main__":
    main()
