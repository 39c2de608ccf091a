"""Each service's OpenAPI document built from its composition root, without a broker or a database (nothing
connects before the app starts), and schemas with their references resolved, for comparing them."""

import json
from functools import cache
from typing import Any

from fastapi import FastAPI

from lottery_service.bootstrap import build_app as lottery_app
from lottery_service.settings import LotterySettings
from notifier_service.bootstrap import build_app as notifier_app
from notifier_service.settings import NotifierSettings
from platform_shared.auth.record_signatures import new_signing_key
from platform_shared.auth.tokens import SigningKey
from policy_service.bootstrap import build_app as policy_app
from policy_service.settings import PolicySettings
from waitlist_service.bootstrap import build_app as waitlist_app
from waitlist_service.settings import WaitlistSettings

UNREACHABLE_DATABASE = "postgresql+asyncpg://nobody:nothing@127.0.0.1:9/none"
SECRET = "s" * 40


def build(service: str) -> FastAPI:
    private, public = new_signing_key()
    common = {"database_url": UNREACHABLE_DATABASE, "OFFER_LINK_SECRET": SECRET, "audit_key": SECRET,
              "event_signing_key": private, "EVENT_KEYS": json.dumps({service: public})}
    if service == "lottery":
        return lottery_app(LotterySettings.model_validate(
            {**common, "draw_server_secret": SECRET, "adgate_secret": SECRET}))
    if service == "waitlist":
        return waitlist_app(WaitlistSettings.model_validate(common))
    if service == "notifier":
        return notifier_app(NotifierSettings.model_validate({**common, "offer_link_base": "http://127.0.0.1/offers"}))
    return policy_app(PolicySettings.model_validate({**common, "token_key_id": "contract-test",
                                                     "token_signing_key": SigningKey.generate().private_pem}))


@cache
def openapi(service: str) -> dict[str, Any]:
    return build(service).openapi()


def resolved(schema: Any, definitions: dict[str, Any]) -> Any:
    """`schema` with every `$ref` (to `#/components/schemas/…` or `#/$defs/…`) replaced by what it names, and
    without what FastAPI's document leaves out or makes up but the shape does not depend on: titles (a route's
    list answer gets one from its name) and `default: null` (`required` says whether a field may be left out)."""
    if isinstance(schema, list):
        return [resolved(item, definitions) for item in schema]
    if isinstance(schema, int) and not isinstance(schema, bool):
        return float(schema)  # FastAPI's document holds bounds as floats: 2**63 - 1 reads as 2.0**63
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return resolved(definitions[schema["$ref"].rsplit("/", 1)[1]], definitions)
    return {key: resolved(value, definitions) for key, value in schema.items()
            if key not in ("$defs", "title") and not (key == "default" and value is None)}
