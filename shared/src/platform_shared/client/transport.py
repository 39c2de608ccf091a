"""The sync transport: one service's base URL and the caller's credentials; answers read into their models,
error answers raised as the exceptions of errors.py."""

from collections.abc import Generator, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from platform_shared.client.endpoint import Endpoint
from platform_shared.client.errors import (
    AdminApiError,
    NotAuthenticated,
    Refused,
    ServiceFailed,
    StepUpRequired,
    Unreachable,
    fields_of,
    message_of,
)

Answer = TypeVar("Answer")


class BearerToken(httpx.Auth):
    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


class AdminHttp:
    """`auth`: a BearerToken, or any httpx.Auth that signs each request (the tests' operators). `language`: sent
    as `Accept-Language` on every request, so the services answer errors in the caller's language (Korean
    unless it asks otherwise: platform_shared.i18n)."""

    def __init__(self, base_url: str, auth: httpx.Auth | None = None, timeout: float = 120,
                 language: str | None = None, pool: httpx.Client | None = None) -> None:
        """`pool`: a long-lived client whose connections every call reuses (a server calling the services on
        every request: the console); without one, each call opens its own, as a command-line tool does."""
        self.base_url, self.auth, self.timeout, self.pool = base_url, auth, timeout, pool
        self.headers = {"Accept-Language": language} if language else {}

    def call(self, endpoint: Endpoint[Answer], body: BaseModel | None = None, query: dict[str, Any] | None = None,
             **path: object) -> Answer:
        return self.call_with_headers(endpoint, body, query, **path)[0]

    def call_with_headers(self, endpoint: Endpoint[Answer], body: BaseModel | None = None,
                          query: dict[str, Any] | None = None, **path: object) -> tuple[Answer, httpx.Headers]:
        """The answer and the headers it came with (a list's total count). Every call goes through here: a
        transport that wraps each call (credentials, a step-up) overrides this one."""
        params = {name: _query_value(value) for name, value in (query or {}).items() if value is not None}
        assert set(params) <= set(endpoint.query), f"{endpoint.path} takes no {set(params) - set(endpoint.query)}"
        url = endpoint.url(**path)
        try:
            if self.pool is not None:
                response = self.pool.request(endpoint.method, f"{self.base_url}{url}", json=endpoint.payload(body),
                                             params=params, auth=self.auth, headers=self.headers,
                                             timeout=self.timeout)
            else:
                with httpx.Client(base_url=self.base_url, timeout=self.timeout, auth=self.auth,
                                  headers=self.headers) as client:
                    response = client.request(endpoint.method, url, json=endpoint.payload(body), params=params)
        except httpx.TransportError as error:
            raise Unreachable(self.base_url, error) from error
        raise_for_answer(response)
        if endpoint.answer is None:
            return None, response.headers  # type: ignore[return-value]  # an Endpoint[None]
        return endpoint.reader.validate_json(response.content), response.headers

    @contextmanager
    def stream(self, endpoint: Endpoint[None], **path: object) -> Iterator[httpx.Response]:
        """An open streaming answer (exports, backups), closed when the block ends."""
        with httpx.Client(base_url=self.base_url, timeout=300, auth=self.auth, headers=self.headers) as client:
            try:
                response = client.send(client.build_request(endpoint.method, endpoint.url(**path)), stream=True)
            except httpx.TransportError as error:
                raise Unreachable(self.base_url, error) from error
            try:
                if response.is_error:
                    response.read()
                    raise_for_answer(response)
                yield response
            finally:
                response.close()


def raise_for_answer(response: httpx.Response) -> None:
    if not response.is_error:
        return
    try:
        body = response.json()
    except ValueError:
        body = None
    method, path, status = response.request.method, response.request.url.path, response.status_code
    message = message_of(body, response.text)
    kind: type[AdminApiError] = ServiceFailed if status >= 500 else Refused
    if status == 401:
        kind = NotAuthenticated
    elif status == 403 and "step up" in response.text:
        kind = StepUpRequired
    retry_after = response.headers.get("Retry-After", "")
    raise kind(method, path, status, message, fields_of(body), int(retry_after) if retry_after.isdigit() else None)


def _query_value(value: Any) -> Any:
    """An instant as ISO 8601 with its offset (the services refuse one without); anything else as httpx sends it."""
    return value.isoformat() if isinstance(value, datetime) else value
