"""The lottery's long lists one page at a time, read a page at a time from the service (a draw list of any
length, a run with 100,000 winners): `GET /draws?offset=&limit=` and `GET /runs/{id}/results?place=&offset=
&limit=`. The routes and templates read only what these return."""

from dataclasses import dataclass

from platform_shared.client.errors import Refused
from platform_shared.client.lottery import LotteryClient
from platform_shared.contracts.admin.lottery_rows import DrawOut, ResultOut, RunOut

PLACES = ("winner", "waitlist")


@dataclass(frozen=True)
class DrawRows:
    total: int
    rows: list[DrawOut]


@dataclass(frozen=True)
class ResultRows:
    run: RunOut
    results_void: bool
    total_winners: int
    total_waitlist: int
    rows: list[ResultOut]


def draw_rows(lottery: LotteryClient, offset: int, limit: int) -> DrawRows:
    page = lottery.draw_page(offset, limit)
    return DrawRows(page.total, page.rows)


def result_rows(lottery: LotteryClient, run_id: str, place: str, offset: int, limit: int) -> ResultRows:
    page = lottery.run_results(run_id, place, offset, limit)
    return ResultRows(page.run, page.results_void, page.total_winners, page.total_waitlist, page.rows)


@dataclass(frozen=True)
class RunLink:
    run_id: str
    executed_at: str
    actor: str


def runs_of(lottery: LotteryClient, campaign_id: str) -> list[RunLink]:
    """The draw's runs, newest first, as its audit log records them (the service lists no runs per draw); empty
    for a role that may not read the audit log."""
    try:
        records = lottery.audit(target=f"draw:{campaign_id}", action="draw.execute", limit=20)
    except Refused:
        return []
    links = []
    for record in records:
        after = record.details.get("after")
        if isinstance(after, dict) and after.get("run_id"):
            links.append(RunLink(str(after["run_id"]), record.at.isoformat(), record.actor))
    return sorted(links, key=lambda link: link.executed_at, reverse=True)
