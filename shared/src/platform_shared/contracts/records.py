"""How each contract travels as a Kafka record: its key and its headers, as JSON Schemas for the AsyncAPI
document, and the header names the producers write. The value is the contract's JSON (events.py).

Every record the platform writes says `content-type: application/json`: FastStream would stamp a record sent
as bytes with an empty content type, so the producers set it themselves."""

from typing import Any

from pydantic import BaseModel

from platform_shared.contracts import topics
from platform_shared.contracts.events import (
    AdminAccountChanged,
    AdminSessionEnded,
    AuditAnchored,
    DeadLetter,
    Event,
    PolicyChanged,
    RunEvent,
    ServiceStatus,
    UserEvent,
)

CONTENT_TYPE = "content-type"
JSON = "application/json"
EVENT_ID = "event_id"
EVENT_TYPE = "event_type"
ORIGINAL_TOPIC = "original_topic"
CONSUMER_GROUP = "consumer_group"
DEAD_LETTER_COUNT = "dead_letter_count"
SIGNER = "signer"
SIGNATURE = "signature"

SIGNED_BY: dict[str, frozenset[str] | None] = {
    topics.POLICY_CHANGED: frozenset({"policy"}),
    topics.ADMIN_ACCOUNTS: frozenset({"policy"}),
    topics.ADMIN_SESSIONS: frozenset({"policy"}),
    topics.AUDIT_ANCHORS: None,  # each service anchors its own chain
}
"""The control topics whose records are signed (auth/record_signatures.py), and who may sign them (None:
any service with a published key)."""
SIGNED_CONTRACTS = (PolicyChanged, AdminAccountChanged, AdminSessionEnded, AuditAnchored)

Schema = dict[str, Any]


def event_headers(event_id: str, event_type: str) -> dict[str, str]:
    """The headers of an event's record (outbox, status reports)."""
    return {CONTENT_TYPE: JSON, EVENT_ID: event_id, EVENT_TYPE: event_type}


def dead_letter_headers(original_topic: str, consumer_group: str, dead_letter_count: int) -> dict[str, str]:
    return {CONTENT_TYPE: JSON, ORIGINAL_TOPIC: original_topic, CONSUMER_GROUP: consumer_group,
            DEAD_LETTER_COUNT: str(dead_letter_count)}


_KEY_FIELDS: tuple[tuple[type[Event], str, str], ...] = (
    (AdminAccountChanged, "account", "The admin account (the topic is compacted: its latest state is kept)."),
    (AdminSessionEnded, "session_id", "The ended login (a day's records are kept: its tokens expired long before)."),
    (AuditAnchored, "chain", "`<chain>:<seq>`, the audit chain and the record's number (the topic is compacted; "
                             "every key is unique, so every anchor is kept); the chain alone for an anchor "
                             "from before records were numbered."),
    (RunEvent, "run_id", "The draw run's id: a run's events keep their order."),
    (UserEvent, "user_id", "The user's id: one user's messages keep their order."),
    (Event, "event_id", "The event's id."),
)


def key_schema(contract: type[BaseModel]) -> Schema:
    """The record key, as `partition_key()` writes it (or, for a dead letter, as the record it carries had it)."""
    if contract is DeadLetter:
        return {"type": ["string", "null"], "description": (
            "The original record's key (its SHA-256 as `sha256:<hex>` when longer than 1,024 bytes); "
            "null when the original record had none.")}
    if contract is PolicyChanged:
        return {"type": "string", "const": "policy", "description": "One key: the newest snapshot is kept."}
    if contract is ServiceStatus:
        return {"type": "string", "pattern": "^[^/]+/.+$",
                "description": "`<service>/<instance>`: each process's newest report is kept."}
    for owner, field, description in _KEY_FIELDS:
        if issubclass(contract, owner):
            field_schema = contract.model_json_schema()["properties"][field]
            return {key: value for key, value in field_schema.items() if key != "title"} | {"description": description}
    raise ValueError(f"no record key documented for {contract.__name__}")


_CORRELATION_ID = {"type": "string", "description": "Set by FastStream; the platform does not use it."}
_REDRIVE_COUNT = {"type": "string", "pattern": "^[0-9]+$", "description": (
    "How often the record was dead-lettered before an operator's redrive sent it back (absent otherwise).")}


def headers_schema(contract: type[BaseModel]) -> Schema:
    """The record's headers (values are UTF-8 text)."""
    properties: Schema = {CONTENT_TYPE: {"type": "string", "const": JSON}, "correlation_id": _CORRELATION_ID}
    if contract is DeadLetter:
        properties |= {
            ORIGINAL_TOPIC: {"type": "string", "description": "The topic the record came from."},
            CONSUMER_GROUP: {"type": "string", "description": "The consumer group that gave up on it."},
            DEAD_LETTER_COUNT: {"type": "string", "pattern": "^[1-9][0-9]*$",
                                "description": "1, plus one for each redrive after which it failed again."},
        }
        required = [CONTENT_TYPE, ORIGINAL_TOPIC, CONSUMER_GROUP, DEAD_LETTER_COUNT]
    else:
        properties |= {
            EVENT_ID: {"type": "string", "format": "uuid", "description": "The value's `event_id`."},
            EVENT_TYPE: {"type": "string", "const": contract.__name__},
            DEAD_LETTER_COUNT: _REDRIVE_COUNT,
        }
        required = [CONTENT_TYPE, EVENT_ID, EVENT_TYPE]
    if contract in SIGNED_CONTRACTS:
        properties |= {
            SIGNER: {"type": "string", "description": "The service that wrote and signed the record."},
            SIGNATURE: {"type": "string", "contentEncoding": "base64", "description": (
                "Ed25519 over topic, NUL, key, NUL, value, by the signer's key (EVENT_KEYS holds the public "
                "halves): a record without a valid one is dead-lettered, never applied.")},
        }
        required += [SIGNER, SIGNATURE]
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
