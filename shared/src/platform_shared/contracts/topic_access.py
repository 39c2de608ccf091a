"""Which service writes and reads which topic: the one table the broker's ACLs are made from (deploy/kafka_acls.py),
checked against what each service's AsyncAPI document says it sends and receives (tests/test_topic_access.py).

Every service writes `dead_letter`, `service_status` and `audit_anchors`, and reads `admin_accounts`,
`admin_sessions`, `audit_anchors` and `policy_changed`. A service also writes back to the topics it consumes with
a consumer group that are not compacted (`redriven`): a dead-letter redrive sends a letter to its original topic
(messaging/redrive_rules.py). The control topics (`policy_changed`, `admin_accounts`, `admin_sessions`,
`audit_anchors`, `service_status`) stay written by their owners alone. Consumer groups are the service's own,
named with its name as prefix (`waitlist`, `waitlist.rollbacks`)."""

from dataclasses import dataclass

from platform_shared.contracts.topics import (
    ADMIN_ACCOUNTS,
    ADMIN_SESSIONS,
    AUDIT_ANCHORS,
    DEAD_LETTER,
    DRAW_COMPLETED,
    DRAW_ROLLED_BACK,
    KAKAO_LOGIN_HEALTH,
    NOTIFICATION_DELIVERED,
    NOTIFICATION_REQUESTED,
    NOTIFICATION_UNDELIVERABLE,
    POLICY_CHANGED,
    SERVICE_STATUS,
    WAITLIST_EXHAUSTED,
    WAITLIST_PROMOTED,
)

EVERY_SERVICE_SENDS = frozenset({DEAD_LETTER, SERVICE_STATUS, AUDIT_ANCHORS})
EVERY_SERVICE_RECEIVES = frozenset({ADMIN_ACCOUNTS, ADMIN_SESSIONS, AUDIT_ANCHORS, POLICY_CHANGED})


@dataclass(frozen=True)
class TopicAccess:
    sends: frozenset[str]
    """What the service publishes (its outbox, dead letters, status)."""
    receives: frozenset[str]
    """What it subscribes to (with a consumer group, or following a compacted topic)."""
    redriven: frozenset[str] = frozenset()
    """What a dead-letter redrive of its consumer groups sends back: the non-compacted topics it consumes."""

    @property
    def writes(self) -> frozenset[str]:
        """What its principal may produce."""
        return self.sends | self.redriven

    @property
    def reads(self) -> frozenset[str]:
        return self.receives


def _access(sends: set[str], receives: set[str], consumed: set[str]) -> TopicAccess:
    """`consumed`: the non-compacted topics it reads with a consumer group (also in what it receives)."""
    return TopicAccess(frozenset(sends) | EVERY_SERVICE_SENDS, frozenset(receives | consumed) | EVERY_SERVICE_RECEIVES,
                       frozenset(consumed))


SERVICE_TOPICS: dict[str, TopicAccess] = {
    "policy": _access({POLICY_CHANGED, ADMIN_ACCOUNTS, ADMIN_SESSIONS}, {SERVICE_STATUS}, {KAKAO_LOGIN_HEALTH}),
    "lottery": _access({DRAW_COMPLETED, DRAW_ROLLED_BACK, NOTIFICATION_REQUESTED, KAKAO_LOGIN_HEALTH}, set(),
                       set()),  # notification_requested: notices to a segment (seed §14)
    "waitlist": _access({NOTIFICATION_REQUESTED, WAITLIST_PROMOTED, WAITLIST_EXHAUSTED, KAKAO_LOGIN_HEALTH}, set(),
                        {DRAW_COMPLETED, DRAW_ROLLED_BACK, NOTIFICATION_DELIVERED, NOTIFICATION_UNDELIVERABLE}),
    "notifier": _access({NOTIFICATION_DELIVERED, NOTIFICATION_UNDELIVERABLE}, set(),
                        {NOTIFICATION_REQUESTED, DRAW_ROLLED_BACK}),
}


def consumer_group_prefix(service: str) -> str:
    """Every consumer group of `service` starts with this (its reliable consumers: `<service>` or `<service>.…`)."""
    return service
