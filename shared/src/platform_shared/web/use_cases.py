"""Module-level routers and the use cases they call (docs/architecture.md, "Layers inside a service"): a router
is built at import, before any use case exists, so the composition root (bootstrap.py) gives the app its use
cases (`provide`) and each route reads its own back, by type, through a dependency (`use_case`)."""

from typing import Any, TypeVar

from fastapi import Depends, FastAPI, Request

T = TypeVar("T")


def provide(app: FastAPI, *use_cases: object) -> None:
    """One of each kind. Call it as often as there are routers' modules to serve; a kind twice is a wiring bug."""
    provided: dict[type, object] = getattr(app.state, "use_cases", {})
    for given in use_cases:
        if type(given) in provided:
            raise ValueError(f"{type(given).__name__} provided twice")
        provided[type(given)] = given
    app.state.use_cases = provided


def use_case(kind: type[T]) -> Any:
    """`Annotated[Kind, use_case(Kind)]`: the route's use case of that kind.

    `async def` although it never waits: FastAPI runs a plain `def` dependency in its thread pool, a thread hop
    per request (4 % of an entrant's entry, docs/benchmarks.md)."""

    async def provided(request: Request) -> T:
        found = request.app.state.use_cases[kind]
        assert isinstance(found, kind), f"bootstrap.py provides a {kind.__name__}"
        return found

    return Depends(provided)
