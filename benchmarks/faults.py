"""The fault suite (`make faults`): break the system on purpose while a draw's offers are stored and
its notifications sent, with the real services, broker, database and vendor stand-in, then count. Prints one
table row per fault (the figures docs/reliability.md keeps) and asserts nothing.

    uv run python benchmarks/faults.py [--seats 2000] [--only NAME,...] [--big 100000]

For every fault, at the end: offers stored and for how many distinct winners (each exactly once), notifications
sent and delivered vendor-side (each recipient once; sends the vendor accepted twice), sends stamped inside
quiet hours, and dead letters: valid events dead-lettered anywhere (must be 0), and the notifier's dead
notifications (only the recipients the vendor rejects, as designed). Needs the launcher's own Kafka and
PostgreSQL (local processes), which it restarts. The fleet's clock is set to 12:00 KST: the night is proven
in the main suite (tests/test_notifier_quiet_hours.py moves a sender's clock across 22:00 and 08:00 with a
backlog being released; tests/test_vendor_call_bounds.py the 21:59:55 edge).
"""

import argparse
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as day_time
from typing import Any
from uuid import UUID

import httpx

from benchmarks.fault_counts import Counts, count, tally
from platform_deploy.infra import Infrastructure, provide_infrastructure
from platform_deploy.scenario import admin_client, create_closed_draw, prepare_and_execute
from platform_deploy.services import Fleet, ServiceProcess
from platform_shared.time.clock import offset_to_kst

Strike = Callable[[Fleet, Infrastructure], None]


@dataclass(frozen=True)
class Fault:
    name: str
    how: str
    """How it is injected, for the table."""
    strike_when: str | None = None
    """`offers` or `sent`: strike once a fifth of the seats got there (the draw's intake or its sending)."""
    strike: Strike | None = None
    replica: tuple[str, str] | None = None
    """(service, FAILPOINTS) of a second replica started for the run, which kills itself (SIGKILL) there."""
    vendor: dict[str, Any] = field(default_factory=dict)
    """The vendor stand-in's behaviour from the start of the run, for `vendor_seconds`."""
    vendor_seconds: float = 0.0
    rejected: int = 0
    """Winners the vendor refuses for good: dead notifications, as designed."""
    seats: int | None = None


def restart(part: str, down: float = 5.0) -> Strike:
    return lambda fleet, infra: infra.restart[part](down)


FAULTS = [
    Fault("kafka-mid-draw", "broker stopped (SIGTERM) when a fifth of the offers are stored, down 5 s", "offers",
          restart("kafka")),
    Fault("postgres-mid-draw", "PostgreSQL stopped (fast) when a fifth of the offers are stored, down 5 s",
          "offers", restart("postgres")),
    Fault("kafka-mid-send", "broker stopped when a fifth of the notifications are sent, down 5 s", "sent",
          restart("kafka")),
    Fault("postgres-mid-send", "PostgreSQL stopped when a fifth of the notifications are sent, down 5 s", "sent",
          restart("postgres")),
    Fault("kill-lottery-relay", "a 2nd lottery replica SIGKILLs itself at its first outbox claim",
          replica=("lottery", "outbox.after_claim@1")),
    Fault("kill-waitlist-consumer", "a 2nd waitlist replica SIGKILLs itself after applying its first record",
          replica=("waitlist", "consumer.after_apply@1")),
    Fault("kill-waitlist-relay", "a 2nd waitlist replica SIGKILLs itself at its first outbox claim",
          replica=("waitlist", "outbox.after_claim@1")),
    Fault("kill-notifier-consumer", "a 2nd notifier replica SIGKILLs itself after applying its first record",
          replica=("notifier", "consumer.after_apply@1")),
    Fault("kill-notifier-relay", "a 2nd notifier replica SIGKILLs itself at its first outbox claim",
          replica=("notifier", "outbox.after_claim@1")),
    Fault("kill-notifier-mid-send", "a 2nd notifier replica SIGKILLs itself before its first vendor call",
          replica=("notifier", "notifier.before_vendor_call@1")),
    Fault("vendor-slow", "the vendor answers after 7 s (the whole-call timeout is 5 s) for 20 s",
          vendor={"slow_seconds": 7}, vendor_seconds=20),
    Fault("vendor-5xx-storm", "the vendor answers 500 to half the messages for 20 s",
          vendor={"failure_rate": 0.5}, vendor_seconds=20),
    Fault("vendor-429-seconds", "the vendor answers 429, Retry-After: 3 (seconds), to 500 messages",
          vendor={"rate_limit_next": 500, "retry_after_seconds": 3}),
    Fault("vendor-429-date", "the vendor answers 429 to 5 whole calls, Retry-After as an HTTP-date 3 s ahead",
          vendor={"batch_rate_limit_next": 5, "retry_after_seconds": 3, "retry_after_as_date": True}),
    Fault("vendor-rejects", "the vendor rejects 10 winners (400) for good", rejected=10),
]


def winner_id(n: int) -> int:
    return 50_000_000 + n


def draw(fleet: Fleet, seats: int) -> str:
    campaign = f"fault-{secrets.token_hex(4)}"
    entries = [{"kakao_user_id": winner_id(n), "weight": 1 + n % 5} for n in range(seats)]
    with admin_client(fleet["lottery"].base_url) as lottery:
        create_closed_draw(lottery, campaign, entries, seats=seats)
        _, run = prepare_and_execute(lottery, campaign)
    return str(run["id"])


def vendor_behaves(fleet: Fleet, behaviour: dict[str, Any]) -> None:
    assert fleet.vendor is not None, "the suite counts deliveries at the fleet's vendor stand-in"
    httpx.put(f"{fleet.vendor.base_url}/_behaviour", json=behaviour, timeout=10).raise_for_status()


def run_fault(fleet: Fleet, infra: Infrastructure, fault: Fault, seats: int) -> dict[str, Any]:
    seats = fault.seats or seats
    rejected = [str(winner_id(n)) for n in range(fault.rejected)]
    vendor_behaves(fleet, {**fault.vendor, "reject_recipients": rejected})
    if fault.vendor_seconds:
        threading.Timer(fault.vendor_seconds, vendor_behaves, (fleet, {"reject_recipients": rejected})).start()
    replica = None
    if fault.replica is not None:
        service, failpoints = fault.replica
        replica = ServiceProcess(service, fleet[service].base_env, fleet.log_dir)
        replica.start({"FAILPOINTS": failpoints})
    started = time.monotonic()
    run = UUID(draw(fleet, seats))
    if fault.strike is not None:
        watched = {"offers": ("waitlist", "SELECT count(*) FROM offers WHERE run_id = $1"),
                   "sent": ("notifier", "SELECT count(*) FROM notifications WHERE run_id = $1 AND status = 'sent'")}
        service, query = watched[fault.strike_when or "offers"]
        while count(infra.database_urls[service], query, run) < seats // 5:
            time.sleep(0.05)
        fault.strike(fleet, infra)
    counts = tally(fleet, infra, run, seats, len(rejected), started)
    killed = replica is not None and not replica.running
    if replica is not None:
        replica.stop()
    vendor_behaves(fleet, {})
    return row(fault, counts, seats, killed if replica is not None else None)


def row(fault: Fault, counts: Counts, seats: int, killed: bool | None) -> dict[str, Any]:
    return {"fault": fault.name, "how": fault.how, "seats": seats,
            **({"replica killed itself": killed} if killed is not None else {}), **counts.figures()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seats", type=int, default=2_000)
    parser.add_argument("--only", default="", help="Comma-separated fault names (default: all, then --big)")
    parser.add_argument("--big", type=int, default=100_000, help="Winners of the end-to-end big draw (0: skip)")
    args = parser.parse_args()
    chosen = [f for f in FAULTS if not args.only or f.name in args.only.split(",")]
    with provide_infrastructure() as infra:
        if not infra.restart:
            raise SystemExit("needs the launcher's own Kafka and PostgreSQL (PLATFORM_INFRA=local)")
        noon = offset_to_kst(day_time(12, 0), datetime.now(UTC))
        fleet = Fleet(infra, draw_server_secret=secrets.token_hex(32), clock_offset=noon,
                      extra_env={"NOTIFIER_SEND_CONCURRENCY": "20"})
        fleet.start()
        began = time.monotonic()
        try:
            for fault in chosen:
                print_row(run_fault(fleet, infra, fault, args.seats))
            if args.big and not args.only:
                big = Fault("big-draw", f"no fault: {args.big:,} winners end to end", seats=args.big)
                figures = run_fault(fleet, infra, big, args.seats)
                figures["peak memory (MiB)"] = {name: round((fleet[name].peak_memory_kib or 0) / 1024)
                                                for name in ("lottery", "waitlist", "notifier", "policy")}
                print_row(figures)
        finally:
            fleet.stop()
        print(f"suite: {len(chosen)} faults{' + the big draw' if args.big and not args.only else ''} "
              f"in {time.monotonic() - began:.0f} s", flush=True)


def print_row(figures: dict[str, Any]) -> None:
    print("\n".join(f"  {name:34} {value}" for name, value in figures.items()), flush=True)
    print(flush=True)


if __name__ == "__main__":
    main()
