"""Reading the platform's topics as an outside integrator does, and checking each record against the AsyncAPI
documents the services serve: a record must match a message that some service documents sending on its
topic, and a message of every operation that receives from it, value, key and headers alike (JSON Schema,
the Draft 7 dialect that AsyncAPI schemas extend)."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

from platform_deploy.infra import Infrastructure
from platform_shared.contracts.topics import TOPICS

Offsets = dict[TopicPartition, int]


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes | None
    headers: dict[str, str]

    @property
    def where(self) -> str:
        return f"{self.topic}/{self.partition}@{self.offset}"


async def end_offsets(infrastructure: Infrastructure) -> Offsets:
    """Where every partition of every platform topic ends now."""
    consumer = AIOKafkaConsumer(**infrastructure.kafka.client_kwargs(), enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(spec.name, n) for spec in TOPICS for n in range(spec.partitions)]
        return dict(await consumer.end_offsets(partitions))
    finally:
        await consumer.stop()


async def records_between(infrastructure: Infrastructure, start: Offsets, end: Offsets) -> list[Record]:
    """Every record written between two snapshots of `end_offsets`."""
    consumer = AIOKafkaConsumer(**infrastructure.kafka.client_kwargs(), enable_auto_commit=False)
    await consumer.start()
    try:
        wanted = [tp for tp in end if end[tp] > start.get(tp, 0)]
        consumer.assign(wanted)
        for tp in wanted:
            consumer.seek(tp, start.get(tp, 0))
        records: list[Record] = []
        while wanted:
            batches = await consumer.getmany(*wanted, timeout_ms=2_000)
            for tp, batch in batches.items():
                records += [_record(r) for r in batch if r.offset < end[tp]]
            wanted = [tp for tp in wanted if await consumer.position(tp) < end[tp]]
        return records
    finally:
        await consumer.stop()


def _record(record: ConsumerRecord[Any, Any]) -> Record:
    key = record.key.decode() if isinstance(record.key, bytes) else None
    headers = {name: value.decode() for name, value in record.headers or ()}
    value = record.value if isinstance(record.value, bytes) else None
    return Record(record.topic, record.partition, record.offset, key, value, headers)


class ServedDocument:
    """One service's AsyncAPI document, its `$ref`s followed as written."""

    def __init__(self, service: str, document: dict[str, Any]) -> None:
        self.service = service
        self._document = document
        self._uri = f"urn:asyncapi:{service}"
        self._registry: Registry[Any] = Registry().with_resource(self._uri, DRAFT7.create_resource(document))

    def messages(self, topic: str, action: str) -> Iterator[tuple[str, list[str]]]:
        """(operation, pointers of its messages) for each operation of `action` on a channel at `topic`."""
        for name, operation in self._document.get("operations", {}).items():
            channel = self._resolve(operation["channel"]["$ref"])
            if operation["action"] == action and self._node(channel).get("address") == topic:
                yield name, [self._resolve(message["$ref"]) for message in operation.get("messages", [])]

    def problems(self, record: Record, message: str) -> list[str]:
        """Why `record` is not the message at pointer `message` (nothing if it is)."""
        node = self._node(message)
        checks: list[tuple[str, object, str]] = [("payload", _json(record.value), f"{message}/payload")]
        if "headers" in node:
            checks.append(("headers", record.headers, f"{message}/headers"))
        if "key" in node.get("bindings", {}).get("kafka", {}):
            checks.append(("key", record.key, f"{message}/bindings/kafka/key"))
        found = []
        for part, instance, pointer in checks:
            validator = Draft7Validator({"$ref": f"{self._uri}#{pointer}"}, registry=self._registry,
                                        format_checker=Draft7Validator.FORMAT_CHECKER)
            found += [f"{part}: {error.message}" for error in validator.iter_errors(instance)]
        return found

    def _resolve(self, reference: str) -> str:
        """The pointer a chain of local `$ref`s ends at."""
        pointer = reference.removeprefix("#")
        while "$ref" in (node := self._node(pointer)):
            pointer = node["$ref"].removeprefix("#")
        return pointer

    def _node(self, pointer: str) -> dict[str, Any]:
        node: Any = self._document
        for part in pointer.strip("/").split("/"):
            node = node[unquote(part).replace("~1", "/").replace("~0", "~")]
        assert isinstance(node, dict)
        return node


def _json(value: bytes | None) -> object:
    try:
        return json.loads(value) if value is not None else None
    except ValueError:
        return value.decode("utf-8", "replace") if value is not None else None


def contract_breaches(record: Record, documents: list[ServedDocument]) -> list[str]:
    """Nothing if some document sends `record` as one of its messages and every receiver documents it."""
    breaches = []
    senders = [(doc, pointers) for doc in documents for _, pointers in doc.messages(record.topic, "send")]
    if not senders:
        breaches.append(f"{record.where}: no service documents sending on {record.topic}")
    elif not any(not doc.problems(record, pointer) for doc, pointers in senders for pointer in pointers):
        why = {f"{doc.service}{pointer}": doc.problems(record, pointer) for doc, pointers in senders
               for pointer in pointers}
        breaches.append(f"{record.where}: matches no message its senders document: {why}")
    for doc in documents:
        for operation, pointers in doc.messages(record.topic, "receive"):
            if all(doc.problems(record, pointer) for pointer in pointers):
                breaches.append(f"{record.where}: {doc.service}'s {operation} documents no message it is")
    return breaches
