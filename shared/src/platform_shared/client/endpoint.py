"""One route, declared once: method, path, what it takes and what it answers. The declarations carry no I/O,
so a sync and an async transport can share them, and the contract test reads them."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from pydantic import BaseModel, TypeAdapter

Answer = TypeVar("Answer")


@dataclass(frozen=True)
class Endpoint(Generic[Answer]):
    method: str
    path: str
    """The OpenAPI path template, e.g. `/draws/{campaign_id}/dry-run`."""
    answer: Any
    """The 2xx body's type (a model, `list[Model]`), or None for a route that answers no JSON (204, a file)."""
    body: type[BaseModel] | None = None
    query: tuple[str, ...] = field(default=())
    """The query parameters the client may send."""

    @cached_property
    def reader(self) -> TypeAdapter[Answer]:
        return TypeAdapter(self.answer)

    def url(self, **path: object) -> str:
        return self.path.format(**{name: quote(str(value), safe="") for name, value in path.items()})

    def payload(self, body: BaseModel | None) -> dict[str, Any] | None:
        """What the caller set, as JSON: defaults left to the service, which owns them."""
        if self.body is None:
            return None
        assert isinstance(body, self.body), f"{self.method} {self.path} takes a {self.body.__name__}"
        return body.model_dump(mode="json", by_alias=True, exclude_unset=True)


def as_json(answer: Any) -> Any:
    """An answer as the service sent it (what it did not send stays out): for printing and for dict-minded code."""
    if isinstance(answer, BaseModel):
        return answer.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(answer, list):
        return [as_json(item) for item in answer]
    return answer
