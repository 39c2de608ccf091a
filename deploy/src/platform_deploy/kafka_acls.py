"""Each service principal's ACLs, made from contracts/topic_access.py: WRITE on the topics it may produce, READ on
those it reads, READ on its own consumer groups (by prefix). Nothing else: the broker runs with
`allow.everyone.if.no.acl.found=false`, so whatever is not granted here is refused.

aiokafka's admin client has no call for ACLs, so the CreateAcls request (API key 30, in aiokafka's protocol
module) goes through its low-level client, as `ops`, the super user."""

from dataclasses import dataclass

from aiokafka.client import AIOKafkaClient
from aiokafka.protocol.admin import CreateAclsRequest

from platform_shared.contracts.topic_access import SERVICE_TOPICS, consumer_group_prefix
from platform_shared.messaging.kafka_client import KafkaAccess

# The protocol's codes (org.apache.kafka.common.resource / acl).
TOPIC, GROUP = 2, 3
LITERAL, PREFIXED = 3, 4
READ, WRITE = 3, 4
ALLOW = 3
_OPERATIONS = {READ: "READ", WRITE: "WRITE"}


@dataclass(frozen=True)
class AclBinding:
    principal: str
    resource_type: int
    resource_name: str
    pattern_type: int
    operation: int

    def __str__(self) -> str:
        kind = "topic" if self.resource_type == TOPIC else "group"
        prefixed = "*" if self.pattern_type == PREFIXED else ""
        return f"{self.principal} {_OPERATIONS[self.operation]} {kind} {self.resource_name}{prefixed}"


def service_acls() -> list[AclBinding]:
    bindings = []
    for service, access in SERVICE_TOPICS.items():
        principal = f"User:{service}"
        bindings += [AclBinding(principal, TOPIC, topic, LITERAL, WRITE) for topic in sorted(access.writes)]
        bindings += [AclBinding(principal, TOPIC, topic, LITERAL, READ) for topic in sorted(access.reads)]
        bindings.append(AclBinding(principal, GROUP, consumer_group_prefix(service), PREFIXED, READ))
    return bindings


async def create_acls(ops: KafkaAccess, bindings: list[AclBinding]) -> None:
    """Creating an ACL that exists already is not an error, so this may run at every start."""
    client = AIOKafkaClient(**ops.client_kwargs())
    await client.bootstrap()
    try:
        for binding in bindings:
            request = CreateAclsRequest(binding.resource_type, binding.resource_name, binding.pattern_type,
                                        binding.principal, "*", binding.operation, ALLOW)
            response = await client.send(client.get_random_node(), request)
            failed = [(code, message) for code, message in response.creation_responses if code != 0]
            if failed:
                raise RuntimeError(f"could not create the ACL {binding}: {failed}")
    finally:
        await client.close()
