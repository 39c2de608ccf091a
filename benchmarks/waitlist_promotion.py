"""One promotion pass over 10,000 expired offers in one draw (SPEC §8). Prints figures, asserts nothing.

    uv run python benchmarks/waitlist_promotion.py [--offers 10000]

Uses a throwaway local PostgreSQL (or DATABASE_URL's server), migrates a waitlist database, loads a
run whose every offer is overdue plus a waitlist twice as long, and times the pass that expires them
all and promotes the next 10,000 (offers, waitlist_promoted and notification_requested outbox rows).
"""

import argparse
import asyncio
import time
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from platform_deploy.postgres import benchmark_database
from platform_shared.db.engine import asyncpg_connection, create_engine, session_factory
from platform_shared.service.migrations import upgrade_to_head
from platform_shared.time.clock import FixedClock
from waitlist_service.application.promotion import PromotionService
from waitlist_service.main import MIGRATIONS

NOON_KST = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


async def measure(url: str, offers: int) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    run_id = uuid4()
    async with engine.begin() as connection:
        raw = await asyncpg_connection(connection)
        await raw.execute("INSERT INTO waitlist_runs (run_id, campaign_id, seats, waitlist_size, part_count, "
                          "parts_received, status) VALUES ($1, 'bench', $2, $3, 1, 1, 'active')",
                          run_id, offers, 2 * offers)
        overdue = NOON_KST - timedelta(hours=1)
        await raw.copy_records_to_table("offers", columns=["id", "run_id", "campaign_id", "user_id", "rank", "source",
                                                           "status", "offered_at", "respond_by"], records=[
            (uuid4(), run_id, "bench", f"user-{rank}", rank, "draw", "offered", overdue - timedelta(days=1), overdue)
            for rank in range(1, offers + 1)])
        await raw.copy_records_to_table("waitlist_entries", columns=["run_id", "rank", "campaign_id", "user_id",
                                                                     "status"], records=[
            (run_id, rank, "bench", f"user-{rank}", "waiting") for rank in range(offers + 1, 3 * offers + 1)])
    promotion = PromotionService(sessions, FixedClock(NOON_KST))
    start = time.perf_counter()
    outcome = await promotion.promote(run_id, "scheduled")
    elapsed = time.perf_counter() - start
    await engine.dispose()
    print(f"promotion pass: {outcome.expired:,} offers expired, {len(outcome.promoted):,} promoted "
          f"(+{2 * len(outcome.promoted):,} outbox events) in {elapsed:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=10_000)
    args = parser.parse_args()
    with benchmark_database("waitlist_bench") as url:
        upgrade_to_head(MIGRATIONS, url)
        asyncio.run(measure(url, args.offers))

if __name__ == "__main__":
    main()
