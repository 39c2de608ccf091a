from datetime import UTC, datetime

import numpy as np
import pytest

from lottery_service.domain.draw_engine import (
    LOTTERY1,
    LOTTERY2,
    LOTTERY3,
    Algorithm,
    Entrants,
    commitment,
    derive_seed,
    effective_weights,
    exponential_keys,
    run_draw,
)

SEED = derive_seed("campaign-1", datetime(2026, 12, 1, 11, 0, tzinfo=UTC), "server-secret-for-tests")


def entrants(n: int, seed: int = 7) -> Entrants:
    rng = np.random.default_rng(seed)
    return Entrants(user_ids=rng.choice(10**12, size=n, replace=False).astype(np.uint64),
                    weights=rng.uniform(0.5, 5.0, size=n))


def test_the_seed_is_sha256_of_campaign_kst_draw_time_and_secret() -> None:
    import hashlib

    expected = hashlib.sha256(b"campaign-12026-12-01T20:00:00+09:00server-secret-for-tests").digest()
    assert expected == SEED
    assert commitment(SEED) == hashlib.sha256(expected).hexdigest()


def test_shuffling_the_rows_gives_the_identical_result() -> None:
    pool = entrants(5_000)
    shuffled = np.random.default_rng(99).permutation(5_000)

    first = run_draw(pool, SEED, seats=50, waitlist_size=200)
    second = run_draw(Entrants(pool.user_ids[shuffled], pool.weights[shuffled]), SEED, 50, 200)

    assert np.array_equal(first.user_ids, second.user_ids)
    assert np.array_equal(first.keys, second.keys)


def test_winners_come_first_in_key_order_then_the_waitlist() -> None:
    result = run_draw(entrants(1_000), SEED, seats=10, waitlist_size=30)
    assert len(result.winners) == 10 and len(result.waitlist) == 30
    assert np.all(np.diff(result.keys) > 0)


def test_fewer_entrants_than_places_ranks_everyone() -> None:
    result = run_draw(entrants(7), SEED, seats=5, waitlist_size=10)
    assert len(result.winners) == 5 and len(result.waitlist) == 2


def test_another_seed_draws_other_winners() -> None:
    other = derive_seed("campaign-2", datetime(2026, 12, 1, 11, 0, tzinfo=UTC), "server-secret-for-tests")
    pool = entrants(1_000)
    assert set(run_draw(pool, SEED, 20, 0).winners) != set(run_draw(pool, other, 20, 0).winners)


def test_weights_are_kept_as_stored_and_floored() -> None:
    assert list(effective_weights(np.array([50.0, 2.0, 0.0]))) == [50.0, 2.0, 1e-9]


def test_a_naive_draw_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        derive_seed("c", datetime(2026, 12, 1, 20, 0), "secret")


@pytest.mark.parametrize("case", range(4))
def test_the_fast_selection_picks_exactly_what_sorting_every_key_picks(case: int) -> None:
    from lottery_service.domain.draw_engine import exponential_keys

    pool = entrants(200_000, seed=case)
    seed = bytes([case]) * 32
    result = run_draw(pool, seed, seats=150, waitlist_size=600)

    keys = exponential_keys(seed, pool)
    reference = np.lexsort((pool.user_ids, keys))[:750]
    assert np.array_equal(result.user_ids, pool.user_ids[reference])
    assert np.array_equal(result.keys, keys[reference])


def _weights_shaped(shape: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Weight layouts that mislead the sampled threshold or the heaviest-weight bound."""
    weights = rng.uniform(0.5, 5.0, size=n)
    if shape == "ascending":  # the sample's runs see light, then heavy entrants
        weights.sort()
    elif shape == "one giant":
        weights[n // 3] = 1e6
    elif shape == "mostly zero":
        weights[rng.random(n) < 0.9] = 0.0
    elif shape == "below the floor":
        weights[:] = rng.uniform(0.0, 2e-9, size=n)
    return weights


@pytest.mark.parametrize("algorithm", [LOTTERY1, LOTTERY2, LOTTERY3], ids=lambda a: a.name)
@pytest.mark.parametrize("shape", ["uniform", "ascending", "one giant", "mostly zero", "below the floor"])
def test_the_fast_selection_holds_for_weights_laid_out_against_it(shape: str, algorithm: Algorithm) -> None:
    rng = np.random.default_rng(len(shape))
    n = 100_000
    users = rng.choice(10**12, size=n, replace=False).astype(np.uint64)
    pool = Entrants(users, _weights_shaped(shape, n, rng),
                    rng.permutation(users) if algorithm.pseudonymous else None)
    result = run_draw(pool, SEED, seats=40, waitlist_size=160, algorithm=algorithm)

    keys = exponential_keys(SEED, pool, algorithm)
    reference = np.lexsort((pool.draw_ids, keys))[:200]
    assert np.array_equal(result.user_ids, pool.user_ids[reference])
    assert np.array_equal(result.keys, keys[reference])


def test_lottery2_keeps_u_strictly_inside_zero_and_one_where_lottery1_reached_one() -> None:
    from lottery_service.domain.draw_engine import keys_from_mantissas

    one = np.array([1.0])
    highest1, highest2 = np.array([2.0**53 - 1]), np.array([2.0**52 - 1])
    assert keys_from_mantissas(highest1, one, LOTTERY1)[0] == 0.0, "the defect LOTTERY2 removes: U rounded to 1"
    assert keys_from_mantissas(highest2, one, LOTTERY2)[0] > 0.0
    assert np.isfinite(keys_from_mantissas(np.array([0.0]), one, LOTTERY2)[0])
    assert (highest2[0] + 0.5) / 2.0**52 < 1.0 and 0.5 / 2.0**52 > 0.0


@pytest.mark.parametrize(("weights", "ids", "message"), [
    ([1.0, float("nan"), 2.0], [1, 2, 3], "user 2: weight nan is not a finite number"),
    ([1.0, 2.0, float("inf")], [1, 2, 3], "user 3: weight inf"),
    ([1.0, -0.5, 2.0], [1, 2, 3], "user 2: weight -0.5"),
    ([1.0, 2.0, 3.0], [7, 8, 7], "user 7 appears more than once"),
])
def test_the_engine_refuses_weights_that_are_not_numbers_and_repeated_ids(
        weights: list[float], ids: list[int], message: str) -> None:
    from lottery_service.domain.draw_engine import InvalidEntrantsError

    with pytest.raises(InvalidEntrantsError, match=message):
        Entrants(np.array(ids, dtype=np.uint64), np.array(weights))


def test_an_empty_entrant_set_is_refused_by_name() -> None:
    from lottery_service.domain.draw_engine import InvalidEntrantsError

    empty = Entrants(np.array([], dtype=np.uint64), np.array([], dtype=np.float64))
    with pytest.raises(InvalidEntrantsError, match="no eligible entrants"):
        run_draw(empty, SEED, seats=1, waitlist_size=0)
