"""Audit replay (domain/replay.py): ranks and outcomes compared exactly, keys within the stated tolerance, so
another machine's `log` differing in the last bit is no false alarm, and a swap is named."""

from dataclasses import dataclass

import numpy as np

from lottery_service.domain.draw_engine import Entrants, run_draw
from lottery_service.domain.replay import first_difference

SEED = bytes(range(32))


@dataclass(frozen=True)
class Stored:
    rank: int
    kakao_user_id: int
    key: float


def stored_run() -> tuple[list[Stored], Entrants]:
    rng = np.random.default_rng(3)
    entrants = Entrants(rng.choice(10**9, 500, replace=False).astype(np.uint64), rng.uniform(0.5, 4, 500))
    result = run_draw(entrants, SEED, seats=10, waitlist_size=20)
    return [Stored(rank, int(u), float(k)) for rank, (u, k) in
            enumerate(zip(result.user_ids, result.keys, strict=True), start=1)], entrants


def test_keys_off_in_the_last_bit_still_match() -> None:
    stored, entrants = stored_run()
    nudged = [Stored(s.rank, s.kakao_user_id, float(np.nextafter(s.key, np.inf))) for s in stored]
    assert first_difference(nudged, run_draw(entrants, SEED, 10, 20)) is None
    assert first_difference(stored, run_draw(entrants, SEED, 10, 20)) is None


def test_two_swapped_ranks_are_a_mismatch_named_by_rank() -> None:
    stored, entrants = stored_run()
    stored[3], stored[4] = (Stored(4, stored[4].kakao_user_id, stored[4].key),
                            Stored(5, stored[3].kakao_user_id, stored[3].key))
    difference = first_difference(stored, run_draw(entrants, SEED, 10, 20))
    assert difference is not None and difference["rank"] == 4
    assert difference["stored"] == stored[3].kakao_user_id != difference["replayed"]


def test_a_key_off_beyond_the_tolerance_is_a_mismatch() -> None:
    stored, entrants = stored_run()
    stored[7] = Stored(8, stored[7].kakao_user_id, stored[7].key * (1 + 1e-9))
    difference = first_difference(stored, run_draw(entrants, SEED, 10, 20))
    assert difference is not None and difference["rank"] == 8
