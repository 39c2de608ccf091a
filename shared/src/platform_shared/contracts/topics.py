"""Every Kafka topic the platform uses, with the partition count and settings it is created with.

Topics are created explicitly before any service starts (auto-creation is off on our brokers), so a
typo in a topic name fails loudly instead of silently creating an empty topic.
"""

from dataclasses import dataclass, field

DRAW_COMPLETED = "draw_completed"
DRAW_ROLLED_BACK = "draw_rolled_back"
WAITLIST_PROMOTED = "waitlist_promoted"
WAITLIST_EXHAUSTED = "waitlist_exhausted"
NOTIFICATION_REQUESTED = "notification_requested"
NOTIFICATION_DELIVERED = "notification_delivered"
NOTIFICATION_UNDELIVERABLE = "notification_undeliverable"
POLICY_CHANGED = "policy_changed"
ADMIN_ACCOUNTS = "admin_accounts"
ADMIN_SESSIONS = "admin_sessions"
AUDIT_ANCHORS = "audit_anchors"
SERVICE_STATUS = "service_status"
DEAD_LETTER = "dead_letter"
KAKAO_LOGIN_HEALTH = "kakao_login_health"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    config: dict[str, str] = field(default_factory=dict)


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(DRAW_COMPLETED, partitions=3),
    TopicSpec(DRAW_ROLLED_BACK, partitions=3),
    TopicSpec(WAITLIST_PROMOTED, partitions=3),
    TopicSpec(WAITLIST_EXHAUSTED, partitions=3),
    TopicSpec(NOTIFICATION_REQUESTED, partitions=3),
    TopicSpec(NOTIFICATION_DELIVERED, partitions=3),
    TopicSpec(NOTIFICATION_UNDELIVERABLE, partitions=3),
    # One partition and compaction: the latest snapshot per key is all a new consumer needs (SPEC §6).
    TopicSpec(POLICY_CHANGED, partitions=1, config={"cleanup.policy": "compact"}),
    # The latest state per admin account (its tokens' revocation time): every process reads it all.
    TopicSpec(ADMIN_ACCOUNTS, partitions=1, config={"cleanup.policy": "compact"}),
    # Logins ended before their tokens expired (a logout), one key each: kept a day, far past the last token.
    TopicSpec(ADMIN_SESSIONS, partitions=1, config={"cleanup.policy": "compact,delete", "retention.ms": "86400000"}),
    # Every audit record's number and hash, outside the database, keyed by chain and number (compaction keeps
    # them all): deleting records is detected even after new ones were written.
    TopicSpec(AUDIT_ANCHORS, partitions=1, config={"cleanup.policy": "compact"}),
    # Each process's heartbeat with the policy version it runs on (the seed's §8.3 cache-integrity check).
    TopicSpec(SERVICE_STATUS, partitions=1, config={"cleanup.policy": "compact"}),
    TopicSpec(DEAD_LETTER, partitions=3),
    # Each Kakao edge replica's refused logins by time window, keyed by replica (seed §9.3): the policy service
    # sums them across replicas into the outage report.
    TopicSpec(KAKAO_LOGIN_HEALTH, partitions=3),
)


COMPACTED = frozenset(spec.name for spec in TOPICS if spec.config.get("cleanup.policy") == "compact")
"""Topics that keep only the newest record per key: sending an old record there again would replace the newest."""
