"""The AsyncAPI channels a service declares: one channel per topic naming every message on it, and keys and
headers documented as the producers write them."""

import warnings
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from jsonschema import Draft7Validator
from pydantic import BaseModel

from platform_shared.contracts import topics
from platform_shared.contracts.events import (
    AdminAccountChanged,
    AuditAnchored,
    DeadLetter,
    DrawRolledBack,
    Event,
    NotificationDeadLettered,
    NotificationRequested,
    PolicyChanged,
    ServiceStatus,
)
from platform_shared.contracts.policy import policy_defaults
from platform_shared.contracts.records import (
    SIGNED_CONTRACTS,
    dead_letter_headers,
    event_headers,
    headers_schema,
    key_schema,
)
from platform_shared.service.event_document import ChannelBook, event_document

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def notifier_like() -> dict[str, Any]:
    """A service that reads and writes one topic, and writes the dead-letter topic with two contracts."""
    book = ChannelBook()
    book.receives(topics.DRAW_ROLLED_BACK, DrawRolledBack, "Cancels the run's notifications.", "notifier.rollbacks")
    book.sends(topics.DEAD_LETTER, DeadLetter, "Records the consumers could not process.")
    book.receives(topics.AUDIT_ANCHORS, AuditAnchored, "Keeps each chain's newest record.")
    book.sends(topics.AUDIT_ANCHORS, AuditAnchored, "This service's audit chain head.")
    book.sends(topics.DEAD_LETTER, NotificationDeadLettered, "Notifications the vendor never took.")
    book.sends(topics.DEAD_LETTER, DeadLetter, "Declared again by a second consumer.")
    envelope = AsyncAPI(KafkaBroker("127.0.0.1:9092"), title="notifier service", version="1").to_specification()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # FastStream warns when a declaration overwrites another
        return event_document(envelope.to_jsonable(), book)


def test_each_topic_is_one_channel_naming_every_message_it_carries() -> None:
    document = notifier_like()

    assert {name: list(channel["messages"]) for name, channel in document["channels"].items()} == {
        "draw_rolled_back": ["DrawRolledBack"],
        "dead_letter": ["DeadLetter", "NotificationDeadLettered"],
        "audit_anchors": ["AuditAnchored"],
    }
    assert {name: (op["action"], [m["$ref"].rsplit("/", 1)[1] for m in op["messages"]])
            for name, op in document["operations"].items()} == {
        "draw_rolled_back:receive:notifier.rollbacks": ("receive", ["DrawRolledBack"]),
        "dead_letter:send": ("send", ["DeadLetter", "NotificationDeadLettered"]),
        "audit_anchors:receive": ("receive", ["AuditAnchored"]),
        "audit_anchors:send": ("send", ["AuditAnchored"]),
    }
    assert document["servers"] and document["asyncapi"].startswith("3.")


def test_every_message_has_its_payload_schema_key_and_headers() -> None:
    document = notifier_like()

    for name, message in document["components"]["messages"].items():
        assert message["payload"] == {"$ref": f"#/components/schemas/{name}"}
        assert name in document["components"]["schemas"]
        assert message["contentType"] == "application/json"
        assert message["headers"]["type"] == "object" and "key" in message["bindings"]["kafka"]


def test_a_receiver_declared_twice_is_refused() -> None:
    book = ChannelBook()
    book.receives(topics.POLICY_CHANGED, PolicyChanged, "Caches the policy.", "lottery.policy")
    with pytest.raises(ValueError, match="declared twice"):
        book.receives(topics.POLICY_CHANGED, PolicyChanged, "Caches the policy.", "lottery.policy")


SAMPLES: list[Event] = [
    DrawRolledBack(occurred_at=NOW, run_id=uuid4(), campaign_id="c", reason="wrong seed"),
    NotificationRequested(occurred_at=NOW, user_id="10000001", dedupe_key="offer:1", template="WINNER_OFFER"),
    NotificationDeadLettered(occurred_at=NOW, user_id="10000001", dedupe_key="offer:1", template="WINNER_OFFER",
                             reason="rejected", attempts=()),
    PolicyChanged(occurred_at=NOW, version=1, policy=policy_defaults()),
    AdminAccountChanged(occurred_at=NOW, account="admin", role="admin"),
    AuditAnchored(occurred_at=NOW, chain="lottery", record_id=1, hash="0" * 64),
    ServiceStatus(occurred_at=NOW, service="lottery", instance="host:42", policy_version=1),
]


def valid(schema: dict[str, Any], instance: object) -> list[str]:
    return [e.message for e in Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
            .iter_errors(instance)]


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: type(e).__name__)
def test_an_event_record_key_and_headers_are_what_the_document_says(event: Event) -> None:
    contract: type[BaseModel] = type(event)
    signed = contract in SIGNED_CONTRACTS
    signature = {"signer": "policy", "signature": "c2lnbmVk"} if signed else {}
    assert valid(key_schema(contract), event.partition_key().decode()) == []
    assert valid(headers_schema(contract), event_headers(str(event.event_id), contract.__name__) | signature) == []
    assert valid(headers_schema(contract), event_headers(str(event.event_id), "Other") | signature) != []
    if signed:
        assert valid(headers_schema(contract), event_headers(str(event.event_id), contract.__name__)) != [], \
            "a control record's document requires its signature"


def test_a_dead_letter_record_key_and_headers_are_what_the_document_says() -> None:
    assert valid(key_schema(DeadLetter), None) == [] and valid(key_schema(DeadLetter), "run-1") == []
    assert valid(headers_schema(DeadLetter), dead_letter_headers("draw_completed", "waitlist", 1)) == []
    assert valid(headers_schema(DeadLetter), {"original_topic": "draw_completed"}) != []
