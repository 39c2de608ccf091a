"""A run's results a page at a time (seed §3.4: the operators read who won and who waits): one place, winners or
the waitlist, in rank order, with both places' totals. A page is a range of ranks (domain/result_places.py), read
on the results' primary key, so any page of a run with 100,000 winners costs what the first does."""

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.models import DrawResult, DrawRun
from lottery_service.adapters.run_store import RunStore
from lottery_service.domain.result_places import Place, rank_window


@dataclass(frozen=True)
class ResultPage:
    run: DrawRun
    winners: int
    waitlist: int
    rows: list[DrawResult]


class RunResults:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def page(self, run_id: UUID, place: Place, offset: int, limit: int) -> ResultPage:
        async with self._sessions() as session:
            runs = RunStore(session)
            run = await runs.get(run_id)
            winners, waitlist = await runs.place_counts(run_id, run.seats)
            rows = await runs.results_within(run_id, rank_window(place, run.seats, offset, limit))
        return ResultPage(run, winners, waitlist, rows)
