"""The table the broker's ACLs are made from (contracts/topic_access.py) says what each service's AsyncAPI document
says: the topics it sends and receives, and consumer groups that its principal may use (by its prefix)."""

import pytest

from platform_deploy.infra import SERVICES
from platform_deploy.kafka_acls import GROUP, PREFIXED, READ, WRITE, service_acls
from platform_shared.contracts.topic_access import SERVICE_TOPICS, consumer_group_prefix
from platform_shared.contracts.topics import (
    ADMIN_ACCOUNTS,
    ADMIN_SESSIONS,
    AUDIT_ANCHORS,
    POLICY_CHANGED,
    SERVICE_STATUS,
)
from platform_shared.messaging.redrive_rules import may_redrive
from platform_shared.service.event_document import ChannelBook
from tests.admin_openapi import build

CONTROL_TOPICS = {POLICY_CHANGED, ADMIN_ACCOUNTS, ADMIN_SESSIONS, AUDIT_ANCHORS, SERVICE_STATUS}


def channels(service: str) -> ChannelBook:
    book: ChannelBook = build(service).state.runtime.channels
    return book


@pytest.mark.parametrize("service", SERVICES)
def test_the_table_names_what_the_document_sends_and_receives(service: str) -> None:
    operations = channels(service).operations.values()
    assert SERVICE_TOPICS[service].sends == {o.topic for o in operations if o.action == "send"}
    assert SERVICE_TOPICS[service].receives == {o.topic for o in operations if o.action == "receive"}


@pytest.mark.parametrize("service", SERVICES)
def test_what_a_service_writes_back_is_what_its_consumer_groups_read_and_a_redrive_may_send(service: str) -> None:
    """Only a redrive writes back what the service reads: a consumer group's letters, never onto a compacted
    topic (redrive_rules.py), and never onto a control topic."""
    grouped = {o.topic for o in channels(service).operations.values() if o.action == "receive" and o.group_id}
    assert SERVICE_TOPICS[service].redriven == {topic for topic in grouped if may_redrive(1, 1, topic)}
    assert SERVICE_TOPICS[service].redriven.isdisjoint(CONTROL_TOPICS)


@pytest.mark.parametrize("service", SERVICES)
def test_every_consumer_group_of_the_document_is_within_the_services_prefix(service: str) -> None:
    groups = {o.group_id for o in channels(service).operations.values() if o.group_id}
    assert groups, "a service with no consumer group"
    assert all(group.startswith(consumer_group_prefix(service)) for group in groups), groups
    others = [other for other in SERVICES if other != service]
    assert not any(group.startswith(consumer_group_prefix(other)) for group in groups for other in others)


def test_the_acls_are_the_table() -> None:
    acls = service_acls()
    for service, access in SERVICE_TOPICS.items():
        mine = [acl for acl in acls if acl.principal == f"User:{service}"]
        assert {acl.resource_name for acl in mine if acl.operation == WRITE} == access.writes
        assert {acl.resource_name for acl in mine if acl.operation == READ and acl.resource_type != GROUP} \
            == access.reads
        assert [(acl.resource_name, acl.pattern_type) for acl in mine if acl.resource_type == GROUP] \
            == [(consumer_group_prefix(service), PREFIXED)]
