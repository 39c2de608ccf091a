"""Control records are applied only when the service allowed to write them signed them (SPEC §7)."""

import json

import pytest

from platform_shared.auth.record_signatures import BadSignature, PublishedKeys, RecordSigner, new_signing_key
from platform_shared.contracts import topics

POLICY, LOTTERY, STRANGER = new_signing_key(), new_signing_key(), new_signing_key()
KEYS = PublishedKeys.from_json(json.dumps({"policy": POLICY[1], "lottery": LOTTERY[1]}))
VALUE = b'{"version": 9999, "adgate_global_bypass": true}'


def signed(signer: str, private: str, topic: str, key: bytes = b"policy", value: bytes = VALUE) -> dict[str, bytes]:
    headers = RecordSigner.from_base64(signer, private).headers(topic, key, value)
    return {name: text.encode() for name, text in headers.items()}


def test_a_record_signed_by_its_service_passes() -> None:
    KEYS.check(topics.POLICY_CHANGED, b"policy", VALUE, signed("policy", POLICY[0], topics.POLICY_CHANGED))
    KEYS.check(topics.AUDIT_ANCHORS, b"lottery:7", VALUE,
               signed("lottery", LOTTERY[0], topics.AUDIT_ANCHORS, b"lottery:7"))


@pytest.mark.parametrize(("headers", "why"), [
    ({}, "unsigned record"),
    (signed("lottery", LOTTERY[0], topics.POLICY_CHANGED), "who may not sign it"),
    (signed("intruder", STRANGER[0], topics.POLICY_CHANGED), "who may not sign it"),
    (signed("policy", STRANGER[0], topics.POLICY_CHANGED), "does not match"),
    (signed("policy", POLICY[0], topics.POLICY_CHANGED, value=b'{"version": 2}'), "does not match"),
    (signed("policy", POLICY[0], topics.ADMIN_ACCOUNTS), "does not match"),
    (signed("policy", POLICY[0], topics.POLICY_CHANGED, key=b"other"), "does not match"),
    ({"signer": b"policy", "signature": b"not base64!"}, "does not match"),
], ids=["unsigned", "another service", "an unknown signer", "the wrong key", "an altered value",
        "replayed from another topic", "under another key", "garbage"])
def test_a_record_not_signed_by_its_service_is_refused_saying_why(headers: dict[str, bytes], why: str) -> None:
    with pytest.raises(BadSignature, match=why):
        KEYS.check(topics.POLICY_CHANGED, b"policy", VALUE, headers)


def test_topics_that_steer_nothing_are_not_signed() -> None:
    assert RecordSigner.from_base64("lottery", LOTTERY[0]).headers(topics.DRAW_COMPLETED, b"k", VALUE) == {}
    KEYS.check(topics.DRAW_COMPLETED, b"k", VALUE, {})


@pytest.mark.parametrize("document", ["[1]", "{not json", '{"policy": "c2hvcnQ="}', '{"policy": 3}'])
def test_published_keys_that_are_not_keys_are_refused_at_start(document: str) -> None:
    with pytest.raises(ValueError):
        PublishedKeys.from_json(document)
