"""A Kafka broker restart, then a PostgreSQL restart, each in the middle of a 20,000-seat draw (issue 14): the
real services on the real broker and database, one fault per draw, and then the counts. Prints figures,
asserts nothing; docs/reliability.md keeps them.

    uv run python benchmarks/faults_during_draw.py [--seats 20000] [--down 5]

For each fault: offers stored (each winner exactly once), notifications stored and sent (vendor-side: each
recipient delivered exactly once), dead letters written by any consumer during the run, and how long it all
took. Needs the launcher's own Kafka and PostgreSQL (local processes), which it can restart. The fleet's
clock is set to 12:00 KST so no notification waits for the morning.
"""

import argparse
import asyncio
import secrets
import threading
import time
from datetime import UTC, datetime
from datetime import time as day_time
from typing import Any
from uuid import UUID

import asyncpg
import httpx

from platform_deploy.infra import Infrastructure, provide_infrastructure
from platform_deploy.scenario import admin_client, create_closed_draw, prepare_and_execute
from platform_deploy.services import Fleet
from platform_shared.time.clock import offset_to_kst


def plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def scalar(url: str, query: str, *args: object) -> Any:
    connection = await asyncpg.connect(plain(url))
    try:
        return await connection.fetchval(query, *args)
    finally:
        await connection.close()


async def _keys(url: str, run: UUID) -> list[str]:
    connection = await asyncpg.connect(plain(url))
    try:
        return [r["dedupe_key"] for r in await connection.fetch(
            "SELECT dedupe_key FROM notifications WHERE run_id = $1", run)]
    finally:
        await connection.close()


def count(url: str, query: str, *args: object) -> int:
    try:
        return int(asyncio.run(scalar(url, query, *args)) or 0)
    except (OSError, asyncpg.PostgresError):
        return -1  # the database is restarting: try again


def draw(fleet: Fleet, seats: int) -> tuple[str, str]:
    campaign = f"fault-{secrets.token_hex(4)}"
    entries = [{"kakao_user_id": 50_000_000 + n, "weight": 1 + n % 5} for n in range(seats)]
    with admin_client(fleet["lottery"].base_url) as lottery:
        create_closed_draw(lottery, campaign, entries, seats=seats)
        _, run = prepare_and_execute(lottery, campaign)
    return campaign, str(run["id"])


def one_fault(fleet: Fleet, infra: Infrastructure, fault: str, seats: int, down: float) -> dict[str, Any]:
    waitlist_db, notifier_db = infra.database_urls["waitlist"], infra.database_urls["notifier"]
    started = time.monotonic()
    campaign, run_id = draw(fleet, seats)
    run = UUID(run_id)
    offers_sql = "SELECT count(*) FROM offers WHERE run_id = $1"
    while count(waitlist_db, offers_sql, run) < seats // 5:  # strike while the intake is under way
        time.sleep(0.05)
    struck = count(waitlist_db, offers_sql, run)
    restart = threading.Thread(target=infra.restart[fault], args=(down,))
    restart.start()
    restart.join()
    sent_sql = "SELECT count(*) FROM notifications WHERE run_id = $1 AND status = 'sent'"
    deadline = time.monotonic() + 900
    offers_at = sent_at = None
    while time.monotonic() < deadline and sent_at is None:
        if offers_at is None and count(waitlist_db, offers_sql, run) >= seats:
            offers_at = time.monotonic() - started
        if count(notifier_db, sent_sql, run) >= seats:
            sent_at = time.monotonic() - started
        time.sleep(0.5)
    time.sleep(3)  # a late duplicate would show now
    assert fleet.vendor is not None, "the fleet's stand-in vendor counts what it was sent"
    vendor = httpx.get(f"{fleet.vendor.base_url}/_deliveries", timeout=60).json()
    keys = set(asyncio.run(_keys(notifier_db, run)))
    delivered = [key for key in vendor["deliveries"] if key in keys]
    accepted_twice = [key for key, n in vendor["accepted"].items() if key in keys and n > 1]
    letters = sum(max(count(url, "SELECT count(*) FROM dead_letters WHERE payload LIKE $1", f"%{run_id}%"), 0)
                  for url in infra.database_urls.values())
    return {
        "fault": f"{fault} restart, down {down:.0f} s", "seats": seats, "offers when struck": struck,
        "offers stored": count(waitlist_db, offers_sql, run),
        "distinct winners offered": count(waitlist_db, "SELECT count(DISTINCT user_id) FROM offers WHERE run_id = $1",
                                          run),
        "notifications stored": count(notifier_db, "SELECT count(*) FROM notifications WHERE run_id = $1", run),
        "sent": count(notifier_db, sent_sql, run),
        "vendor: recipients delivered": len(delivered),
        "vendor: sent twice by the sender": len(accepted_twice),
        "dead letters": letters,
        "all offers stored after (s)": round(offers_at, 1) if offers_at else None,
        "all sent after (s)": round(sent_at, 1) if sent_at else None,
        "campaign": campaign,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seats", type=int, default=20_000)
    parser.add_argument("--down", type=float, default=5.0, help="Seconds the restarted part stays down")
    args = parser.parse_args()
    with provide_infrastructure() as infra:
        if not infra.restart:
            raise SystemExit("needs the launcher's own Kafka and PostgreSQL (PLATFORM_INFRA=local)")
        noon = offset_to_kst(day_time(12, 0), datetime.now(UTC))
        fleet = Fleet(infra, draw_server_secret=secrets.token_hex(32), clock_offset=noon,
                      extra_env={"NOTIFIER_SEND_CONCURRENCY": "20"})
        fleet.start()
        try:
            for fault in ("kafka", "postgres"):
                figures = one_fault(fleet, infra, fault, args.seats, args.down)
                print("\n".join(f"  {name:34} {value}" for name, value in figures.items()), flush=True)
                print(flush=True)
        finally:
            fleet.stop()


if __name__ == "__main__":
    main()
