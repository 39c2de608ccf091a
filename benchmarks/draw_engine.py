"""Draw engine vs numpy's weighted choice on the same input (SPEC §8). Prints figures, asserts nothing.

    uv run python benchmarks/draw_engine.py [--repeats 7]

N = 1,000,000, K = 1,000, W = 5,000: the engine against
`numpy.random.Generator.choice(N, K+W, replace=False, p=w/w.sum())` (p computed inside the timing, as
the expression says), best of --repeats interleaved runs each. Then N = 10,000,000: engine time and
peak memory of the engine call (tracemalloc, which numpy reports to) and the process's max RSS.
"""

import argparse
import hashlib
import resource
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from lottery_service.domain.draw_engine import Entrants, run_draw

K, W = 1_000, 5_000
SEED = hashlib.sha256(b"benchmark").digest()


def make_entrants(n: int) -> Entrants:
    rng = np.random.default_rng(2026)
    ids = rng.choice(2**62, size=n, replace=False).astype(np.uint64) if n <= 2_000_000 else \
        np.unique(rng.integers(1, 2**62, size=n + n // 100, dtype=np.uint64))[:n]
    return Entrants(user_ids=rng.permutation(ids), weights=rng.uniform(0.5, 20.0, size=n))


def best_of(repeats: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    entrants = make_entrants(1_000_000)
    generator = np.random.default_rng(7)
    w = entrants.weights
    engine_times, numpy_times = [], []
    for _ in range(args.repeats):
        engine_times.append(best_of(1, lambda: run_draw(entrants, SEED, K, W)))
        numpy_times.append(best_of(1, lambda: generator.choice(len(w), K + W, replace=False, p=w / w.sum())))
    engine, reference = min(engine_times), min(numpy_times)
    print(f"N=1,000,000 K={K} W={W} (best of {args.repeats})")
    print(f"  draw engine (AES-keyed exponential keys): {engine * 1e3:8.1f} ms")
    print(f"  numpy Generator.choice(p=w/w.sum()):      {reference * 1e3:8.1f} ms")
    print(f"  ratio engine / numpy:                     {engine / reference:8.2f}  (goal <= 0.5)")

    big = make_entrants(10_000_000)
    tracemalloc.start()
    start = time.perf_counter()
    result = run_draw(big, SEED, K, W)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"N=10,000,000 K={K} W={W}")
    print(f"  draw engine: {elapsed:.2f} s, peak memory of the call {peak / 2**20:.0f} MiB "
          f"(input arrays {(big.user_ids.nbytes + big.weights.nbytes) / 2**20:.0f} MiB), "
          f"process max RSS {max_rss:.0f} MiB; {len(result.user_ids)} ranked")


if __name__ == "__main__":
    main()
