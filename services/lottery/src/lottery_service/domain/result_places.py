"""Where a rank sits in a run (seed §3.3): the first `seats` ranks win, the ranks after them are the waitlist, in
order. Execute stores each result's outcome by this rule (adapters/run_store.py), and a page of either place
reads its ranks by it: the waitlist's tenth page starts at its own first rank, past every winner without
counting them, so a run with 100,000 winners opens any page as fast as the first."""

from dataclasses import dataclass
from enum import StrEnum


class Place(StrEnum):
    WINNER = "winner"
    WAITLIST = "waitlist"


RANK_MAX = 2**31 - 1
"""The largest rank a run can store (`draw_results.rank` is an INTEGER)."""


def place_of(rank: int, seats: int) -> Place:
    return Place.WINNER if rank <= seats else Place.WAITLIST


@dataclass(frozen=True)
class RankWindow:
    """Ranks `first` to `last`, both included."""

    first: int
    last: int

    @property
    def empty(self) -> bool:
        return self.first > self.last


def rank_window(place: Place, seats: int, offset: int, limit: int) -> RankWindow:
    """The ranks of the page `offset`…`offset + limit - 1` (counted from 0) of one place: winners never past
    the seats, the waitlist from the rank after them."""
    first = offset + 1 + (seats if place is Place.WAITLIST else 0)
    last = first + limit - 1
    if place is Place.WINNER:
        last = min(last, seats)
    return RankWindow(first, min(last, RANK_MAX))
