"""Which service writes and reads which topic: the one table the broker's ACLs are made from (deploy/kafka_acls.py),
checked against what each service's AsyncAPI document says it sends and receives (tests/test_topic_access.py).

Every service writes `dead_letter`, `service_status` and `audit_anchors`, and reads `admin_accounts`,
`audit_anchors` and `policy_changed`. A service may also write back to the non-compacted topics it consumes with a
consumer group: a dead-letter redrive sends a letter to its original topic (messaging/redrive_rules.py; never
onto a compacted topic, so `policy_changed`, `admin_accounts`, `audit_anchors` and `service_status` stay written
by their owners alone). Consumer groups are the service's own, named with its name as prefix (`waitlist`,
`waitlist.rollbacks`)."""

from dataclasses import dataclass

from platform_shared.contracts.topics import (
    ADMIN_ACCOUNTS,
    AUDIT_ANCHORS,
    COMPACTED,
    DEAD_LETTER,
    DRAW_COMPLETED,
    DRAW_ROLLED_BACK,
    NOTIFICATION_DELIVERED,
    NOTIFICATION_REQUESTED,
    NOTIFICATION_UNDELIVERABLE,
    POLICY_CHANGED,
    SERVICE_STATUS,
    WAITLIST_EXHAUSTED,
    WAITLIST_PROMOTED,
)

EVERY_SERVICE_SENDS = frozenset({DEAD_LETTER, SERVICE_STATUS, AUDIT_ANCHORS})
EVERY_SERVICE_RECEIVES = frozenset({ADMIN_ACCOUNTS, AUDIT_ANCHORS, POLICY_CHANGED})


@dataclass(frozen=True)
class TopicAccess:
    sends: frozenset[str]
    """What the service publishes (its outbox, dead letters, status)."""
    receives: frozenset[str]
    """What it subscribes to (with a consumer group, or following a compacted topic)."""

    @property
    def writes(self) -> frozenset[str]:
        """What its principal may produce: what it sends, and what a redrive sends back (see the module)."""
        return self.sends | (self.receives - COMPACTED)

    @property
    def reads(self) -> frozenset[str]:
        return self.receives


def _access(sends: set[str], receives: set[str]) -> TopicAccess:
    return TopicAccess(frozenset(sends) | EVERY_SERVICE_SENDS, frozenset(receives) | EVERY_SERVICE_RECEIVES)


SERVICE_TOPICS: dict[str, TopicAccess] = {
    "policy": _access({POLICY_CHANGED, ADMIN_ACCOUNTS}, {SERVICE_STATUS}),
    "lottery": _access({DRAW_COMPLETED, DRAW_ROLLED_BACK}, set()),
    "waitlist": _access({NOTIFICATION_REQUESTED, WAITLIST_PROMOTED, WAITLIST_EXHAUSTED},
                        {DRAW_COMPLETED, DRAW_ROLLED_BACK, NOTIFICATION_DELIVERED, NOTIFICATION_UNDELIVERABLE}),
    "notifier": _access({NOTIFICATION_DELIVERED, NOTIFICATION_UNDELIVERABLE},
                        {NOTIFICATION_REQUESTED, DRAW_ROLLED_BACK}),
}


def consumer_group_prefix(service: str) -> str:
    """Every consumer group of `service` starts with this (its reliable consumers: `<service>` or `<service>.…`)."""
    return service
