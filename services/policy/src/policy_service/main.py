"""`policy-service`: migrate the policy database, then serve."""

from pathlib import Path

from platform_shared.service.serve import serve
from policy_service.bootstrap import build_app
from policy_service.settings import PolicySettings

MIGRATIONS = Path(__file__).parent / "migrations"


def main() -> None:
    serve("policy", PolicySettings(), MIGRATIONS, build_app)


if __name__ == "__main__":
    main()
