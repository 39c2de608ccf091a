"""What the beacon client reports to Prometheus (deploy/prometheus/alerts.yml `LotteryBeaconUnreachable`): kept
beside the client, which sets them on every request."""

from prometheus_client import Counter, Gauge

BEACON_REACHABLE = Gauge("lottery_beacon_reachable",
                         "1 if the randomness beacon answered this process's last request for a round, else 0 "
                         "(0 too before any request: the alert also needs a failure)")
BEACON_FAILURES = Counter("lottery_beacon_failures",
                          "Requests for a beacon round that failed: unreachable (no usable answer) or invalid "
                          "(an answer whose signature does not verify)", ["reason"])
for _reason in ("unreachable", "invalid"):  # at 0 from start-up, so a first failure shows as an increase
    BEACON_FAILURES.labels(reason=_reason)
