"""The lottery's long lists one page at a time (issue: a draw list of any length, a run with 100,000 winners).

The seam: the service's paged routes (`GET /draws?offset=&limit=`, `GET /runs/{id}/results?place=&offset=&limit=`)
are coming; until they serve, these functions page what `draws()` and `run()` answer whole. Switch the bodies
to `lottery.draw_page(...)` and `lottery.run_results(...)` then: the routes and templates read only what these
return."""

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
    every = lottery.draws()  # seam: lottery.draw_page(offset, limit) once GET /draws pages
    return DrawRows(len(every), every[offset:offset + limit])


def result_rows(lottery: LotteryClient, run_id: str, place: str, offset: int, limit: int) -> ResultRows:
    answer = lottery.run(run_id)  # seam: lottery.run_results(run_id, place, offset, limit) once it is served
    chosen = [row for row in answer.results if row.outcome == place]
    winners = sum(1 for row in answer.results if row.outcome == "winner")
    run = RunOut.model_validate(answer.model_dump(exclude={"results", "results_void"}))
    return ResultRows(run, answer.results_void, winners, len(answer.results) - winners,
                      chosen[offset:offset + limit])


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
