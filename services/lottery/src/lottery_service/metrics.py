"""The lottery's business metrics: how long a draw's prepare and execute take (SPEC §8 figures in
docs/benchmarks.md; alert when a real draw runs far slower), and whether the randomness beacon a draw needs
answers (seed §3.3: a draw whose beacon cannot be reached waits, and the alert says so)."""

from typing import Literal

from prometheus_client import Counter, Gauge, Histogram

_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
DRAW_PREPARE_SECONDS = Histogram("draw_prepare_seconds", "A draw's prepare step, end to end", buckets=_BUCKETS)
DRAW_EXECUTE_SECONDS = Histogram("draw_execute_seconds", "A draw's execute step, end to end", buckets=_BUCKETS)

BEACON_REACHABLE = Gauge("lottery_beacon_reachable",
                         "1 if the randomness beacon answered this process's last request for a round, else 0 "
                         "(0 too before any request: the alert also needs a failure)")
BEACON_FAILURES = Counter("lottery_beacon_failures",
                          "Requests for a beacon round that failed: unreachable (no usable answer) or invalid "
                          "(an answer whose signature does not verify)", ["reason"])
for _reason in ("unreachable", "invalid"):  # at 0 from start-up, so a first failure shows as an increase
    BEACON_FAILURES.labels(reason=_reason)


def observe_beacon(outcome: Literal["answered", "unreachable", "invalid"]) -> None:
    """One request for a beacon round (adapters/beacon.py reports each): answered, no usable answer, or an
    answer that does not verify (the beacon did answer)."""
    BEACON_REACHABLE.set(0 if outcome == "unreachable" else 1)
    if outcome != "answered":
        BEACON_FAILURES.labels(reason=outcome).inc()
