"""Two-step confirmation of a risky runbook action (SPEC §1 "confirmed twice", runbook §2): the first step
stores what will happen under a random token and shows it; the second names the token, acts once, stores the
outcome and the audit record. Naming the token again answers the first outcome instead of acting again;
a token is bound to one action on one target and expires (platform_shared/application/confirmations.py)."""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

from platform_shared.application.unit_of_work import UnitOfWork

P = TypeVar("P")


@dataclass(frozen=True)
class Reasoned:
    """The parameters of an action that needs nothing but its reason (runbook §0: every action says why)."""

    reason: str


@dataclass(frozen=True)
class Acted:
    """What the second step did: the outcome a repeated confirmation answers again, and its audit record."""

    outcome: dict[str, Any]
    audit_target: str
    reason: str = ""
    before: object = None
    after: object = None
    params: object = None
    answer: Mapping[str, Any] | None = None
    """What this first confirmation answers beyond the stored outcome (a repeat answers the outcome alone)."""


@dataclass(frozen=True)
class Requested(Generic[P]):
    """The first step's request, as the second step acts on it."""

    params: P
    requested_by: str


@dataclass(frozen=True)
class Confirmed:
    outcome: dict[str, Any]
    answer: Mapping[str, Any]
    repeated: bool
    """The token had been confirmed before: nothing was done this time."""


class TwoStep(Generic[P]):
    """One action's two steps. `P` is the action's parameters as the first step fixed them (a pydantic model or
    a dataclass): stored as JSON with the token, handed back typed to the second step."""

    def __init__(self, action: str, params: type[P]) -> None:
        self.action = action
        self._params = TypeAdapter(params)

    async def request(self, uow: UnitOfWork[object], *, target: str, params: P, shown: Mapping[str, Any], actor: str,
                      summary: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Store the request; answer what is `shown` with the token and its expiry. `summary`, when given, is what
        the stored request keeps of it (a value shown once, like the seed before a draw, can be left out)."""
        pending = await uow.confirmations.request(
            action=self.action, target=target, params=self._params.dump_python(params, mode="json"),
            summary=dict(shown if summary is None else summary), actor=actor, now=uow.now)
        return pending.prepared(dict(shown))

    async def confirm(self, uow: UnitOfWork[object], *, target: str, token: str, actor: str,
                      act: Callable[[Requested[P]], Awaitable[Acted]]) -> Confirmed:
        """Claim the token (concurrent confirmations queue on it), then act once with the stored parameters,
        record the outcome on the token and audit it, all in `uow`."""
        pending = await uow.confirmations.claim(token, action=self.action, target=target, now=uow.now)
        if pending.confirmed:
            assert pending.outcome is not None, "a confirmed request always records its outcome"
            return Confirmed(pending.outcome, pending.outcome, repeated=True)
        acted = await act(Requested(self._params.validate_python(pending.params), pending.requested_by))
        await uow.confirmations.complete(token, actor=actor, now=uow.now, outcome=acted.outcome)
        await uow.audit(actor=actor, action=self.action, target=acted.audit_target, reason=acted.reason,
                        before=acted.before, after=acted.outcome if acted.after is None else acted.after,
                        params=acted.params)
        answer = acted.outcome if acted.answer is None else {**acted.outcome, **acted.answer}
        return Confirmed(acted.outcome, answer, repeated=False)
