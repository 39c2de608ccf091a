"""The lottery's business metrics: how long a draw's prepare and execute take (SPEC §8 figures in
docs/benchmarks.md; alert when a real draw runs far slower). The beacon's are beside its client
(adapters/beacon_metrics.py)."""

from prometheus_client import Histogram

_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
DRAW_PREPARE_SECONDS = Histogram("draw_prepare_seconds", "A draw's prepare step, end to end", buckets=_BUCKETS)
DRAW_EXECUTE_SECONDS = Histogram("draw_execute_seconds", "A draw's execute step, end to end", buckets=_BUCKETS)
