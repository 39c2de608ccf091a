"""The console's pages rendered on the server at the runbook's sizes (issue 28's goal: p95 under 150 ms each on
this machine): the draw list, a results page of a run with 100,000 winners (its first and its last page), a
draw's entries among 1,000,000, and the audit search over 1,000,000 records (the newest page, a filtered page,
a page 10,000 down). Each figure is the time from the request to the last byte, as the browser waits for it: the
console's own work plus its calls to the services (the policy's login check, the lottery's page) on one machine.

    uv run python -m benchmarks.console_pages [--records 1000000] [--entries 1000000] [--winners 100000]

Starts a throwaway fleet with the console, loads the sizes straight into the lottery's database (the audit
records numbered after the real ones, not sealed: the search reads only their columns), signs in as a fresh
admin and asks each page 30 times after one warm-up. Asserts nothing; docs/benchmarks.md keeps the figures."""

import argparse
import asyncio
import secrets
import statistics
import time

from sqlalchemy import text

from benchmarks.admin_pages import ACTIONS, ACTORS, START, TARGETS, load_draw, vacuum
from platform_deploy.infra import provide_infrastructure
from platform_deploy.services import Fleet
from platform_shared.db.engine import create_engine, session_factory
from tests.console_support import ConsoleClient, console_account

REPEATS = 30
GOAL_MS = 150


async def load(url: str, records: int, entries: int, winners: int) -> tuple[str, str]:
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        async with sessions.begin() as session:
            after = (await session.execute(text("SELECT coalesce(max(seq), 0) FROM audit_log"))).scalar_one()
            await session.execute(text(f"""
                INSERT INTO audit_log (seq, at, actor, action, target, record, prev_hash, hash)
                SELECT :after + g, CAST(:start AS timestamptz) + g * interval '30 seconds', 'actor-' || (g % {ACTORS}),
                       'action.' || (g % {ACTIONS}), 'draw:c-' || (g::bigint * 7919 % {TARGETS}), '{{}}',
                       repeat('0', 64), repeat('0', 64)
                FROM generate_series(1, :records) AS g"""), {"after": after, "start": START, "records": records})
        campaign, run_id = await load_draw(sessions, entries, winners)
        await vacuum(engine, "audit_log", "entries", "draw_results")
        return campaign, str(run_id)
    finally:
        await engine.dispose()


def timed(console: ConsoleClient, what: str, path: str) -> float:
    first = console.get(path)
    assert first.status_code == 200, f"{path}: {first.status_code} {first.text[:300]}"
    took = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        answer = console.get(path)
        took.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200
    p95 = statistics.quantiles(took, n=20)[-1]
    verdict = "✓" if p95 < GOAL_MS else "✗"
    print(f"  {what:<62} p50 {statistics.median(took):6.1f} ms   p95 {p95:6.1f} ms  {verdict} (< {GOAL_MS} ms)")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--winners", type=int, default=100_000)
    arguments = parser.parse_args()
    with provide_infrastructure() as infra:
        fleet = Fleet(infra, draw_server_secret=secrets.token_hex(32))
        try:
            fleet.start()
            started = time.perf_counter()
            campaign, run_id = asyncio.run(load(infra.database_urls["lottery"], arguments.records,
                                                arguments.entries, arguments.winners))
            print(f"(loaded {arguments.records:,} audit records, {arguments.entries:,} entries and "
                  f"{arguments.winners:,} winners in {time.perf_counter() - started:.0f} s)")
            console = ConsoleClient(fleet)
            assert console.sign_in(console_account(fleet, "admin")).status_code == 303
            last = -(-arguments.winners // 50)
            print(f"the console's pages, server-side, {REPEATS} requests each after one warm-up:")
            timed(console, "draw list (GET /lottery)", "/lottery")
            timed(console, f"results, {arguments.winners:,} winners, first page", f"/lottery/runs/{run_id}")
            timed(console, f"results, {arguments.winners:,} winners, last page ({last:,})",
                  f"/lottery/runs/{run_id}?place=winner&page={last}&size=50")
            timed(console, f"entries, {arguments.entries:,}, middle page",
                  f"/lottery/draws/{campaign}/entries?page={arguments.entries // 100}&size=50")
            timed(console, f"audit, {arguments.records:,} records, newest page", "/audit?service=lottery")
            timed(console, f"audit, {arguments.records:,} records, by actor", "/audit?service=lottery&actor=actor-7")
        finally:
            fleet.stop()


if __name__ == "__main__":
    main()
