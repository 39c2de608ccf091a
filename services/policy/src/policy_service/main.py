"""`policy-service`: migrate the policy database, then serve."""

from pathlib import Path

from platform_shared.service.serve import serve
from policy_service.bootstrap import build_app
from policy_service.settings import PolicySettings


def main() -> None:
    serve(PolicySettings(), Path(__file__).parent / "migrations", build_app)


if __name__ == "__main__":
    main()
