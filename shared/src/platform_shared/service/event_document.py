"""The channels of a service's AsyncAPI document: one channel per topic, naming every message the service
sends or receives there, each with its payload, key and headers; one operation per way the service uses the
topic (its outbox or dead letters send, a consumer group or a follower receives).

FastStream 0.7 documents one channel per publisher or subscriber, keyed by its title, so a topic both
written and read by one service (or written with two contracts) had one of its declarations overwritten;
a subscriber whose handler takes the raw record documented no payload; and its messages have no key or
headers. So the runtime declares its topics here, and FastStream's own document gives the envelope (info,
servers) only."""

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from platform_shared.contracts.events import DeadLetter
from platform_shared.contracts.records import JSON, Schema, headers_schema, key_schema
from platform_shared.contracts.topics import DEAD_LETTER, TOPICS

Action = Literal["send", "receive"]
KAFKA_BINDINGS = "0.5.0"
_REF = "#/components/schemas/{model}"
_SPECS = {spec.name: spec for spec in TOPICS}


@dataclass(frozen=True)
class Operation:
    action: Action
    topic: str
    contracts: tuple[type[BaseModel], ...]
    description: str
    group_id: str | None = None

    @property
    def key(self) -> str:
        """Unique within a service: one send per topic, one receive per consumer group (or the follower)."""
        return ":".join(part for part in (self.topic, self.action, self.group_id) if part)


@dataclass
class ChannelBook:
    """What a service declares about its topics, in declaration order."""

    operations: dict[str, Operation] = field(default_factory=dict)

    def sends(self, topic: str, contract: type[BaseModel], description: str) -> None:
        """Adds `contract` to the service's one send operation on `topic`."""
        key = Operation("send", topic, (), "").key
        known = self.operations.get(key)
        if known is None:
            self.operations[key] = Operation("send", topic, (contract,), description)
        elif contract not in known.contracts:
            self.operations[key] = Operation("send", topic, (*known.contracts, contract),
                                             f"{known.description} {description}")

    def consumes(self, topic: str, contract: type[BaseModel], group_id: str) -> None:
        """A reliable consumer (messaging/consumer.py): it applies `contract` and dead-letters what it cannot."""
        self.receives(topic, contract, f"Applies {contract.__name__} exactly once in effect (inbox), then commits.",
                      group_id)
        self.sends(DEAD_LETTER, DeadLetter, "Records this service's consumers could not process, with their cause.")

    def receives(self, topic: str, contract: type[BaseModel], description: str, group_id: str | None = None) -> None:
        operation = Operation("receive", topic, (contract,), description, group_id)
        if operation.key in self.operations:
            raise ValueError(f"{operation.key} is declared twice")
        self.operations[operation.key] = operation

    def topics(self) -> dict[str, list[type[BaseModel]]]:
        """Each topic with every contract that travels on it, in declaration order."""
        carried: dict[str, list[type[BaseModel]]] = {}
        for operation in self.operations.values():
            contracts = carried.setdefault(operation.topic, [])
            contracts.extend(c for c in operation.contracts if c not in contracts)
        return carried


def event_document(envelope: dict[str, Any], book: ChannelBook) -> dict[str, Any]:
    """`envelope` (FastStream's document: info, servers) with the book's channels, operations and messages."""
    carried = book.topics()
    contracts = list(dict.fromkeys(c for topic_contracts in carried.values() for c in topic_contracts))
    _, schemas = models_json_schema([(c, "validation") for c in contracts], ref_template=_REF)
    servers = [{"$ref": f"#/servers/{name}"} for name in envelope.get("servers", {})]
    return {
        **envelope,
        "channels": {topic: _channel(topic, topic_contracts, servers) for topic, topic_contracts in carried.items()},
        "operations": {key: _operation(operation) for key, operation in book.operations.items()},
        "components": {
            "messages": {c.__name__: _message(c) for c in contracts},
            "schemas": schemas.get("$defs", {}),
        },
    }


def _channel(topic: str, contracts: list[type[BaseModel]], servers: list[dict[str, str]]) -> dict[str, Any]:
    spec = _SPECS[topic]
    binding: dict[str, Any] = {"topic": topic, "partitions": spec.partitions, "bindingVersion": KAFKA_BINDINGS}
    if "cleanup.policy" in spec.config:
        binding["topicConfiguration"] = {"cleanup.policy": spec.config["cleanup.policy"].split(",")}
    return {
        "address": topic,
        "servers": servers,
        "messages": {c.__name__: {"$ref": f"#/components/messages/{c.__name__}"} for c in contracts},
        "bindings": {"kafka": binding},
    }


def _operation(operation: Operation) -> dict[str, Any]:
    document: dict[str, Any] = {
        "action": operation.action,
        "channel": {"$ref": f"#/channels/{operation.topic}"},
        "description": operation.description,
        "messages": [{"$ref": f"#/channels/{operation.topic}/messages/{c.__name__}"} for c in operation.contracts],
    }
    if operation.group_id is not None:
        document["bindings"] = {"kafka": {"groupId": {"type": "string", "enum": [operation.group_id]},
                                          "bindingVersion": KAFKA_BINDINGS}}
    return document


def _message(contract: type[BaseModel]) -> dict[str, Any]:
    key: Schema = key_schema(contract)
    return {
        "name": contract.__name__,
        "title": contract.__name__,
        "contentType": JSON,
        "payload": {"$ref": _REF.format(model=contract.__name__)},
        "headers": headers_schema(contract),
        "bindings": {"kafka": {"key": key, "bindingVersion": KAFKA_BINDINGS}},
    }
