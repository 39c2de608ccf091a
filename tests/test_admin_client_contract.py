"""The typed admin client (platform_shared/client) and the services agree: every route it declares exists in
that service's OpenAPI document with the same method, path parameters and query parameters, the body it sends
and the answer it reads have the service's schemas, and every admin route it leaves out is listed below with
the reason. Built from the composition roots, so it needs no infrastructure."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from pydantic import TypeAdapter

from platform_shared.client import lottery, notifier, platform, policy, waitlist
from platform_shared.client.endpoint import Endpoint
from tests.admin_openapi import openapi, resolved

SERVICES = {"lottery": lottery, "waitlist": waitlist, "notifier": notifier, "policy": policy}

NOT_IN_THE_CLIENT: dict[str, set[tuple[str, str]]] = {
    "every": {
        # Documents and probes: read by browsers, Prometheus and the orchestrator, not by an operator's tool.
        ("GET", "/health"), ("GET", "/metrics"), ("GET", "/asyncapi.json"),
    },
    "lottery": {
        # The entrant edge: called by entrants' browsers with a Kakao ID token (platform_shared/web/entrants_api.py
        # and lottery_service/entrypoints/http/entrants.py), never by an operator.
        ("POST", "/auth/kakao/login"), ("GET", "/me"), ("GET", "/campaigns/{campaign_id}"),
        ("GET", "/campaigns/{campaign_id}/intro"), ("POST", "/campaigns/{campaign_id}/adgate/return"),
        ("POST", "/campaigns/{campaign_id}/entry"), ("GET", "/campaigns/{campaign_id}/entry"),
        # Public, for outsiders who verify a draw without logging in (tools/verify_draw.py reads it).
        ("GET", "/runs/{run_id}/bundle.json"), ("GET", "/commitments"), ("GET", "/commitments/head"),
        # Operator routes no tool calls yet: declare them here when lottery-ops, the tests' helpers or the
        # console first need them.
        ("GET", "/auth/kakao/status"),
        ("POST", "/draws/{campaign_id}/entries/legacy-import"),
        ("PUT", "/draws/{campaign_id}/entries/{kakao_user_id}/suspicious"),
        ("PUT", "/blacklist/{kakao_user_id}"), ("DELETE", "/blacklist/{kakao_user_id}"),
        ("GET", "/adgate/exemptions.csv"),
    },
    "waitlist": {
        # The entrant edge and the offer links of notifications: entrants' browsers.
        ("POST", "/auth/kakao/login"), ("GET", "/me"), ("GET", "/me/offers"),
        ("POST", "/me/offers/{offer_id}/accept"), ("POST", "/me/offers/{offer_id}/decline"),
        ("GET", "/offers/{offer_id}/link"), ("POST", "/offers/{offer_id}/answer"),
        # Operator route no tool calls yet.
        ("GET", "/auth/kakao/status"),
    },
    "notifier": set(),
    "policy": {
        # Public: entrant pages read the banners; the token keys are configuration (ADMIN_TOKEN_JWKS).
        ("GET", "/policy/banners"), ("GET", "/kakao/banners"), ("GET", "/.well-known/jwks.json"),
    },
}


def declared(module: ModuleType) -> Iterator[Endpoint[Any]]:
    yield from (value for value in vars(module).values() if isinstance(value, Endpoint))


def endpoints(service: str) -> list[Endpoint[Any]]:
    return [*declared(platform), *declared(SERVICES[service])]


def operation(service: str, endpoint: Endpoint[Any]) -> dict[str, Any]:
    paths = openapi(service)["paths"]
    assert endpoint.path in paths, f"{service} has no {endpoint.path}"
    assert endpoint.method.lower() in paths[endpoint.path], f"{service} has no {endpoint.method} {endpoint.path}"
    found: dict[str, Any] = paths[endpoint.path][endpoint.method.lower()]
    return found


def served(service: str, schema: Any) -> Any:
    return resolved(schema, openapi(service).get("components", {}).get("schemas", {}))


def ours(model: Any, mode: Any) -> Any:
    schema = TypeAdapter(model).json_schema(mode=mode)
    return resolved(schema, schema.get("$defs", {}))


def cases() -> list[tuple[str, str, str]]:
    return [(service, endpoint.method, endpoint.path) for service in SERVICES for endpoint in endpoints(service)]


@pytest.mark.parametrize(("service", "method", "path"), cases())
def test_a_client_endpoint_is_the_route_the_service_serves(service: str, method: str, path: str) -> None:
    endpoint = next(e for e in endpoints(service) if (e.method, e.path) == (method, path))
    found = operation(service, endpoint)
    parameters = {(p["in"], p["name"]) for p in found.get("parameters", [])}
    assert {("query", name) for name in endpoint.query} <= parameters, "a query parameter the route does not take"
    request = found.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if endpoint.body is None:
        assert request is None, f"{method} {path} takes a body the client does not send"
    else:
        assert request is not None, f"{method} {path} takes no body"
        assert served(service, request) == ours(endpoint.body, "validation"), f"{method} {path}: the body differs"
    answers = [a for status, a in found["responses"].items() if status.startswith("2")]
    assert len(answers) == 1, f"{method} {path}: one success answer"
    answer = answers[0].get("content", {}).get("application/json", {}).get("schema")
    if endpoint.answer is None:
        assert not answer, f"{method} {path} answers JSON the client does not read"
    else:
        assert answer, f"{method} {path} answers no JSON"
        assert served(service, answer) == ours(endpoint.answer, "serialization"), f"{method} {path}: the answer differs"


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_admin_route_is_in_the_client_or_listed_with_its_reason(service: str) -> None:
    documented = {(method.upper(), path) for path, methods in openapi(service)["paths"].items() for method in methods}
    covered = {(e.method, e.path) for e in endpoints(service)}
    left_out = NOT_IN_THE_CLIENT["every"] | NOT_IN_THE_CLIENT[service]
    assert documented - covered - left_out == set(), "routes neither in the client nor listed as left out"
    assert left_out - documented == set(), "listed routes the service no longer serves"
    assert covered & left_out == set(), "listed as left out, yet in the client"
