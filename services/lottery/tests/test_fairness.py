"""The engine draws with the probabilities of successive weighted sampling without replacement.

Deterministic seeds (SHA-256 of a counter) make the test stable; the significance level is 0.001.
"""

import hashlib
import itertools

import numpy as np

from lottery_service.domain.draw_engine import Entrants, run_draw

WEIGHTS = np.array([1.0, 2.0, 3.0, 4.0])
USERS = np.array([11, 22, 33, 44], dtype=np.uint64)
DRAWS = 20_000
# Chi-square critical value, 11 degrees of freedom, alpha = 0.001 (standard table).
CHI2_CRITICAL_11_DOF = 31.264


def exact_pair_probability(first: int, second: int) -> float:
    """P(first drawn first, then second) when drawing proportionally to weight without replacement."""
    total = WEIGHTS.sum()
    probability: float = WEIGHTS[first] / total * WEIGHTS[second] / (total - WEIGHTS[first])
    return probability


def test_ordered_winner_pairs_follow_successive_weighted_sampling() -> None:
    entrants = Entrants(USERS, WEIGHTS)
    index = {int(u): i for i, u in enumerate(USERS)}
    observed: dict[tuple[int, int], int] = dict.fromkeys(itertools.permutations(range(4), 2), 0)
    for n in range(DRAWS):
        seed = hashlib.sha256(f"fairness-{n}".encode()).digest()
        winners = run_draw(entrants, seed, seats=2, waitlist_size=0).winners
        observed[(index[int(winners[0])], index[int(winners[1])])] += 1

    chi2 = sum((count - DRAWS * exact_pair_probability(*pair)) ** 2 / (DRAWS * exact_pair_probability(*pair))
               for pair, count in observed.items())
    assert chi2 < CHI2_CRITICAL_11_DOF, f"chi-square {chi2:.1f} over 11 dof: not the exact distribution"


def test_each_entry_is_drawn_on_its_stored_weight_however_large() -> None:
    # Weights [1, 2, 3, 40] as stored (an old entry admitted under a cap of 40): user 44 wins with 40/46.
    # The engine never re-caps: a later policy's lower cap must not change an old entry's odds.
    entrants = Entrants(USERS, np.array([1.0, 2.0, 3.0, 40.0]))
    wins = sum(
        int(run_draw(entrants, hashlib.sha256(f"stored-{n}".encode()).digest(), 1, 0).winners[0]) == 44
        for n in range(DRAWS)
    )
    expected = DRAWS * 40 / 46
    sd = (DRAWS * (40 / 46) * (6 / 46)) ** 0.5
    assert abs(wins - expected) < 3.3 * sd, f"{wins} wins, expected {expected:.0f} ± {3.3 * sd:.0f} (alpha 0.001)"
