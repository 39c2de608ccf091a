"""Where a rank sits (seed §3.3) and which ranks a page of one place reads: winners never past the seats, the
waitlist from the rank after them, any page without counting the ones before it."""

import pytest

from lottery_service.domain.result_places import RANK_MAX, Place, RankWindow, place_of, rank_window


def test_the_first_seats_ranks_win_and_the_rest_wait() -> None:
    assert [place_of(rank, 3) for rank in (1, 3, 4, 9)] == [Place.WINNER, Place.WINNER, Place.WAITLIST, Place.WAITLIST]
    assert place_of(1, 0) is Place.WAITLIST, "no seats: everyone drawn waits"


def test_the_stored_strings_stay_the_same() -> None:
    assert [p.value for p in Place] == ["winner", "waitlist"]


@pytest.mark.parametrize(("place", "offset", "limit", "window"), [
    (Place.WINNER, 0, 50, RankWindow(1, 50)),
    (Place.WINNER, 100, 50, RankWindow(101, 120)),  # the last page of winners stops at the seats
    (Place.WINNER, 120, 50, RankWindow(121, 120)),  # past the winners: nothing, not the waitlist
    (Place.WAITLIST, 0, 50, RankWindow(121, 170)),
    (Place.WAITLIST, 50, 50, RankWindow(171, 220)),  # the waitlist's end is wherever its stored ranks end
])
def test_a_page_is_a_range_of_ranks(place: Place, offset: int, limit: int, window: RankWindow) -> None:
    assert rank_window(place, 120, offset, limit) == window


def test_consecutive_pages_cover_each_rank_of_a_place_once() -> None:
    seats, pages = 1_000, [rank_window(Place.WINNER, 1_000, offset, 70) for offset in range(0, 1_100, 70)]
    ranks = [rank for page in pages for rank in range(page.first, page.last + 1)]
    assert ranks == list(range(1, seats + 1))
    assert [page.empty for page in pages].count(True) == 1, "one page past the end, empty"


def test_a_window_never_reaches_past_what_a_rank_can_be() -> None:
    far = rank_window(Place.WAITLIST, 10, RANK_MAX, 500)
    assert far.empty and far.last == RANK_MAX
    assert rank_window(Place.WAITLIST, 10, RANK_MAX - 20, 500) == RankWindow(RANK_MAX - 9, RANK_MAX)
