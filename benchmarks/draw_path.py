"""The whole draw path on the real database: prepare + execute of N entries, K winners, W on the
waitlist, through the lottery's own use cases, next to a bare baseline in the same run (COPY the entries
out, run the engine, COPY the results in). Prints figures, asserts nothing.

    uv run python benchmarks/draw_path.py [--entries 1000000] [--seats 1000] [--waitlist 5000]

PostgreSQL (and Kafka, unused here) come up as for the demo; the entries go in with COPY and entries close
(freezing the set) before the clock starts.
"""

import argparse
import asyncio
import io
import secrets
import time
from datetime import UTC, datetime

import asyncpg
import numpy as np

from lottery_service.adapters.pg_binary import parse_rows
from lottery_service.application.close_entries import CloseEntries
from lottery_service.application.create_draw import CreateDraw
from lottery_service.application.execute_draw import ExecuteDraw
from lottery_service.application.seeds import SeedSource
from lottery_service.application.units import sql_units
from lottery_service.domain.draw_engine import Entrants, run_draw
from lottery_service.main import MIGRATIONS
from platform_deploy.infra import provide_infrastructure
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.service.migrations import upgrade_to_head
from platform_shared.time.clock import SystemClock
from tests.beacon_support import TEST_CHAIN, sql_rounds

SECRET = secrets.token_hex(32)


def plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def load_entries(url: str, campaign: str, count: int) -> None:
    rng = np.random.default_rng(2026)
    users = rng.choice(2**62, size=count, replace=False).astype(np.int64) + 1
    weights = np.round(rng.uniform(0.5, 20.0, size=count), 3)
    connection = await asyncpg.connect(plain(url))
    try:
        await connection.copy_records_to_table(
            "entries", columns=["campaign_id", "kakao_user_id", "raw_weight", "weight", "policy_version", "intro_seen",
                                "adgate_verified", "suspicious", "source"],
            records=((campaign, int(u), float(w), float(w), 1, True, True, False, "api")
                     for u, w in zip(users.tolist(), weights.tolist(), strict=True)))
    finally:
        await connection.close()


async def baseline(url: str, campaign: str, seats: int, waitlist: int) -> float:
    """COPY the entries out, run the engine, COPY the results in: the floor of any draw path."""
    connection = await asyncpg.connect(plain(url))
    try:
        started = time.perf_counter()
        buffer = io.BytesIO()
        await connection.copy_from_query("SELECT kakao_user_id, weight FROM entries WHERE campaign_id = $1",
                                         campaign, output=buffer, format="binary")
        rows = parse_rows(buffer.getvalue(), [("user_id", ">i8"), ("weight", ">f8")])
        entrants = Entrants(rows["user_id"].astype(np.uint64), rows["weight"].astype(np.float64))
        result = run_draw(entrants, bytes(32), seats, waitlist)
        await connection.execute("CREATE TEMP TABLE bench_results (rank int, kakao_user_id bigint, key float8)")
        ranked = zip(result.user_ids.tolist(), result.keys.tolist(), strict=True)
        await connection.copy_records_to_table("bench_results", records=[
            (rank, user, key) for rank, (user, key) in enumerate(ranked, start=1)])
        return time.perf_counter() - started
    finally:
        await connection.close()


async def draw_path(url: str, campaign: str, seats: int, waitlist: int, entries: int) -> None:
    engine = create_engine(url)
    sessions, clock, seeds = session_factory(engine), SystemClock(), SeedSource(SECRET)
    try:
        units = sql_units(sessions, clock)
        creation, closing = CreateDraw(sessions, clock), CloseEntries(units, seeds, TEST_CHAIN)
        execution = ExecuteDraw(units, seeds, 2_000, sql_rounds(sessions))
        await creation.create_draw(campaign_id=campaign, seats=seats, waitlist_size=waitlist,
                                draw_at=datetime.now(UTC), requires_intro=False, requires_adgate=False,
                                weight_cap=None, cooldown_hours=0, actor="bench")
        await load_entries(url, campaign, entries)
        began = time.perf_counter()
        await closing.close_entries(campaign, "bench")
        closed = time.perf_counter() - began
        began = time.perf_counter()
        prepared = await execution.prepare(campaign, "bench")
        prepare = time.perf_counter() - began
        began = time.perf_counter()
        await execution.execute(campaign, prepared["token"], "bench")
        execute = time.perf_counter() - began
        bare = await baseline(url, campaign, seats, waitlist)
    finally:
        await engine.dispose()
    total = prepare + execute
    print(f"N={entries:,} K={seats:,} W={waitlist:,} on the real database")
    print(f"  close entries (freeze, hash):  {closed:7.2f} s  (before the clock: not part of the draw path)")
    print(f"  prepare:                       {prepare:7.2f} s")
    print(f"  execute:                       {execute:7.2f} s")
    print(f"  prepare + execute:             {total:7.2f} s   (goal <= 1.5 s)")
    print(f"  bare baseline (COPY out, engine, COPY in): {bare:.2f} s")
    print(f"  ratio baseline / draw path:    {bare / total:7.2f}   (goal >= 0.5)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--seats", type=int, default=1_000)
    parser.add_argument("--waitlist", type=int, default=5_000)
    args = parser.parse_args()
    with provide_infrastructure() as infra:
        url = infra.database_urls["lottery"]
        upgrade_to_head(MIGRATIONS, url)
        asyncio.run(draw_path(url, f"bench-{secrets.token_hex(4)}", args.seats, args.waitlist, args.entries))


if __name__ == "__main__":
    main()
