"""The admin APIs' paged reads at the console's sizes (issue 28's goal: each opens in under a second): a search of
an audit log of 1,000,000 records, a draw's entries among 1,000,000, a run's results with 100,000 winners. Prints
each query's plan (the index it uses) and the time of the code the routes call, p50 and p95; with `--compare`,
the audit searches again on the indexes the log had before the search's (platform_0005). Asserts nothing.

    uv run python benchmarks/admin_pages.py [--records 1000000] [--entries 1000000] [--winners 100000] [--compare]

Uses a throwaway local PostgreSQL (or DATABASE_URL's server) and one lottery database migrated to head (its
platform branch holds the audit log). The audit records are numbered like a chain but not hashed: the search
reads only their columns."""

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from uuid import uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from lottery_service.adapters.models import Draw, DrawRun
from lottery_service.application.draw_queries import DrawQueries
from lottery_service.application.run_results import RunResults
from lottery_service.domain.draw_lifecycle import DrawStatus
from lottery_service.domain.result_places import Place
from lottery_service.main import MIGRATIONS
from platform_deploy.postgres import benchmark_database
from platform_shared.audit.search import AuditSearch, search_audit
from platform_shared.db.engine import asyncpg_connection, create_engine, session_factory
from platform_shared.service.migrations import downgrade_to, upgrade_to_head

START = datetime(2026, 1, 1, tzinfo=UTC)
ACTORS, ACTIONS, TARGETS = 20, 40, 50_000
REPEATS = 30


async def timed(what: str, call: Callable[[], Awaitable[Any]]) -> None:
    await call()  # warm: the plan cached, the pages in shared buffers, as a console's second look finds them
    took = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        await call()
        took.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(took, n=20)[-1]
    print(f"  {what:<58} p50 {statistics.median(took):6.1f} ms   p95 {p95:6.1f} ms")


async def plan(sessions: async_sessionmaker[AsyncSession], what: str, statement: str) -> None:
    async with sessions() as session:
        lines = [row[0] for row in await session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {statement}"))]
    scans = [line.strip() for line in lines if "Scan" in line]
    print(f"  {what}: {' / '.join(scans)}; {lines[-1].strip()}")


async def load_audit(sessions: async_sessionmaker[AsyncSession], records: int) -> None:
    async with sessions.begin() as session:
        await session.execute(text(f"""
            INSERT INTO audit_log (seq, at, actor, action, target, record, prev_hash, hash)
            SELECT g, CAST(:start AS timestamptz) + g * interval '30 seconds', 'actor-' || (g % {ACTORS}),
                   'action.' || (g % {ACTIONS}), 'draw:c-' || (g::bigint * 7919 % {TARGETS}), '{{}}', repeat('0', 64),
                   repeat('0', 64)
            FROM generate_series(1, :records) AS g"""), {"start": START, "records": records})
        await session.execute(text("ANALYZE audit_log"))


async def audit_figures(sessions: async_sessionmaker[AsyncSession], records: int, indexes: str) -> None:
    middle = START + timedelta(seconds=30 * records // 2)
    searches = {
        "newest page, no filter": AuditSearch(),
        "page 10,000 down (before = seq 500,000)": AuditSearch(before=records // 2),
        "by actor (1 in 20)": AuditSearch(actor="actor-7"),
        "by action, next page (before = seq 500,000)": AuditSearch(action="action.13", before=records // 2),
        "by actor and action (1 in 40)": AuditSearch(actor="actor-3", action="action.23"),
        "by target (20 records)": AuditSearch(target="draw:c-4242"),
        "by an actor with no record": AuditSearch(actor="nobody"),
        "one day in the middle": AuditSearch(since=middle, until=middle + timedelta(days=1)),
        "one day in the middle, by actor": AuditSearch(actor="actor-5", since=middle, until=middle + timedelta(days=1)),
        "the first day, by action (oldest records)": AuditSearch(action="action.1", since=START,
                                                                 until=START + timedelta(days=1)),
    }
    print(f"audit log of {records:,} records, {indexes}, a page of 50 (GET /audit):")
    for what, search in searches.items():
        statement = str(search.query(50).compile(compile_kwargs={"literal_binds": True}))
        await plan(sessions, what, statement)

        async def search_once(search: AuditSearch = search) -> None:
            async with sessions() as session:
                await search_audit(session, search, 50)

        await timed(what, search_once)


async def load_draw(sessions: async_sessionmaker[AsyncSession], entries: int, winners: int) -> tuple[str, Any]:
    campaign, run_id, waitlist = f"bench-{uuid4().hex[:6]}", uuid4(), winners // 20
    async with sessions.begin() as session:
        session.add(Draw(campaign_id=campaign, seats=winners, waitlist_size=waitlist, draw_at=START,
                         status=DrawStatus.DRAWING_DONE))
        await session.flush()
        session.add(DrawRun(id=run_id, campaign_id=campaign, seats=winners, waitlist_size=waitlist, draw_at=START,
                            seed_hex="0" * 64, commitment="0" * 64, entry_set_hash="0" * 64, algorithm="lottery3",
                            eligible_count=entries, policy_version=1, weight_cap=5.0, executed_by="bench"))
        await session.flush()
        raw = await asyncpg_connection(await session.connection())
        await raw.copy_records_to_table("entries", columns=[
            "campaign_id", "kakao_user_id", "raw_weight", "weight", "policy_version", "intro_seen", "adgate_verified",
            "suspicious", "source", "created_at"], records=(
            (campaign, 10_000_000 + (n * 7919) % entries, 1.0 + n % 5, 1.0 + n % 5, 1, False, False, False, "api",
             START) for n in range(entries)))
        await raw.copy_records_to_table("draw_results", columns=[
            "run_id", "rank", "kakao_user_id", "outcome", "weight", "key"], records=(
            (run_id, rank, 10_000_000 + rank, "winner" if rank <= winners else "waitlist", 1.0, 1.0 / rank)
            for rank in range(1, winners + waitlist + 1)))
    async with sessions() as session:
        await session.execute(text("ANALYZE entries"))
        await session.execute(text("ANALYZE draw_results"))
    return campaign, run_id


async def vacuum(engine: AsyncEngine, *tables: str) -> None:
    """What autovacuum does after a million inserts: the visibility map lets a scan answer from the index alone."""
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        for table in tables:
            await connection.execute(text(f"VACUUM ANALYZE {table}"))


async def lottery_figures(engine: AsyncEngine, entries: int, winners: int) -> None:
    sessions = session_factory(engine)
    campaign, run_id = await load_draw(sessions, entries, winners)
    draws, results = DrawQueries(sessions), RunResults(sessions)
    for when in ("just loaded", "vacuumed"):
        if when == "vacuumed":
            await vacuum(engine, "entries", "draw_results")
        print(f"a draw of {entries:,} entries, {when}, a page of 50 with the total (GET /draws/{{id}}/entries):")
        for offset in (0, entries // 2, entries - 50):
            await timed(f"offset {offset:,}", partial(draws.entry_page, campaign, offset, 50))
    await plan(sessions, "the last page's ids", f"SELECT id FROM entries WHERE campaign_id = '{campaign}' "
               f"ORDER BY kakao_user_id, id OFFSET {entries - 50} LIMIT 50")
    print(f"a run of {winners:,} winners and {winners // 20:,} waiting, a page of 50 with both totals "
          "(GET /runs/{id}/results):")
    for place, offset in ((Place.WINNER, 0), (Place.WINNER, winners - 50), (Place.WAITLIST, 0)):
        await timed(f"{place} offset {offset:,}", partial(results.page, run_id, place, offset, 50))


async def measure(url: str, records: int, entries: int, winners: int, compare: bool) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        started = time.perf_counter()
        await load_audit(sessions, records)
        print(f"(loaded {records:,} audit records in {time.perf_counter() - started:.0f} s)")
        await audit_figures(sessions, records, "the search's indexes (platform_0006)")
        await lottery_figures(engine, entries, winners)
        if compare:
            await asyncio.to_thread(downgrade_to, MIGRATIONS, url, "platform_0005")
            await audit_figures(sessions, records, "the indexes before them (platform_0005: seq, target)")
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--winners", type=int, default=100_000)
    parser.add_argument("--compare", action="store_true", help="then the audit searches again on platform_0005")
    args = parser.parse_args()
    with benchmark_database("pages_bench") as url:
        upgrade_to_head(MIGRATIONS, url)
        asyncio.run(measure(url, args.records, args.entries, args.winners, args.compare))

if __name__ == "__main__":
    main()
