"""Hostile input against every service's HTTP API, with Schemathesis (`st run`, property-based tests
generated from each service's own OpenAPI document): as nobody, as an entrant (a Kakao ID token) and as each
operator role (admin, pm, data, partner_ops, logged in with a fresh second factor), against a fleet of its own.
Checks: no server error (5xx) and every documented response matching its schema. Prints one line per
(service, identity) and the failures, and exits non-zero if there was any.

    uv run python -m benchmarks.hostile_api [--examples 10] [--only lottery,waitlist]

The fleet is a throwaway one: sensitive routes get random but valid-looking bodies from the admin too (pauses,
policy changes, rollbacks of runs that do not exist). Its clock is set to 12:00 KST and its edge rate limits
are raised (tests/test_edge_limits.py proves them), so that generated requests reach the handlers.
"""

import argparse
import re
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from datetime import time as day_time
from pathlib import Path

from platform_deploy.infra import provide_infrastructure
from platform_deploy.services import OPERATORS, Fleet
from platform_shared.time.clock import offset_to_kst

SERVICES = ("policy", "lottery", "waitlist", "notifier")
CHECKS = "not_a_server_error,response_schema_conformance"


IDENTITIES = ("anonymous", "entrant", *OPERATORS)
"""Who calls: nobody, an entrant with a Kakao ID token, every operator role (an account per role)."""


def token_for(fleet: Fleet, who: str) -> str | None:
    """A fresh bearer token for `who` (made per run: operators' tokens carry a second factor ≤ 5 min old)."""
    if who == "anonymous":
        return None
    if who == "entrant":
        return fleet.entrant_token(60_000_000 + secrets.randbelow(1_000_000))
    return fleet.operator(who).access_token()


def fuzz(fleet: Fleet, service: str, who: str, token: str | None, examples: int, log_dir: Path) -> tuple[int, str]:
    """One `st run`; its exit code and the summary of what failed."""
    log = log_dir / f"{service}-{who}.log"
    command = [str(Path(sys.executable).with_name("st")), "run", f"{fleet[service].base_url}/openapi.json",
               "--checks", CHECKS, "--max-examples", str(examples), "--request-timeout", "30",
               "--generation-deterministic", "--phases", "examples,coverage,fuzzing",
               *(["--header", f"Authorization: Bearer {token}"] if token else [])]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    log.write_text(done.stdout + done.stderr)
    failures = sorted(set(re.findall(r"^\s*- (Server error|Response violates schema[^\n]*)", done.stdout, re.M)))
    return done.returncode, "; ".join(failures) or ("ok" if done.returncode == 0 else f"see {log}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=10, help="Hypothesis examples per operation")
    parser.add_argument("--only", default="", help="Comma-separated services (default: all four)")
    args = parser.parse_args()
    services = [s for s in SERVICES if not args.only or s in args.only.split(",")]
    with provide_infrastructure() as infra:
        noon = offset_to_kst(day_time(12, 0), datetime.now(UTC))
        # The edge's rate limits raised, so that generated requests reach the handlers rather than a 429.
        fleet = Fleet(infra, draw_server_secret=secrets.token_hex(32), clock_offset=noon,
                      extra_env={"EDGE_RATE_PER_ADDRESS": "100000000/minute",
                                 "EDGE_RATE_PER_ENTRANT": "100000000/minute"})
        fleet.start()
        failed = 0
        began = time.monotonic()
        try:
            for service in services:
                for who in IDENTITIES:
                    code, summary = fuzz(fleet, service, who, token_for(fleet, who), args.examples, fleet.log_dir)
                    failed += code != 0
                    print(f"  {service:9} as {who:11} exit {code}  {summary}", flush=True)
        finally:
            fleet.stop()
        print(f"hostile API: {len(services)} services x {len(IDENTITIES)} identities, {failed} failing, "
              f"in {time.monotonic() - began:.0f} s (logs in {fleet.log_dir})", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
