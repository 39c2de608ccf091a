"""The waitlist's business metrics: how long a promotion pass takes (scheduler or ops)."""

from prometheus_client import Histogram

PROMOTION_PASS_SECONDS = Histogram("promotion_pass_seconds", "One promotion pass over a run, in its transaction",
                                   buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
