"""An operator's action sent to a service. When the service answers that the action needs a fresh second
factor, the console does not show a raw 403: it asks for a code in a dialog that carries the action's own form,
steps up at the policy service, and sends that one action again (SPEC §7; auth/access.py `sensitive`)."""

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request

from console_service.adapters.services import OperatorServices
from console_service.application.signing_in import step_up
from console_service.entrypoints.http.guard import Console
from platform_shared.client.errors import NotAuthenticated, Refused, StepUpRequired

Answer = TypeVar("Answer")
STEP_UP_FIELD = "step_up_code"
NOT_REPLAYED = {"csrf", STEP_UP_FIELD}


class StepUpNeeded(Exception):
    """Rendered as the step-up dialog (errors.py): the form's fields travel along, so the same action is sent
    again once the code is accepted. `refused`: the code just given was not accepted."""

    def __init__(self, replay: list[tuple[str, str]], refused: str | None = None) -> None:
        super().__init__("a fresh second factor is needed")
        self.replay, self.refused = replay, refused


def act(console: Console, request: Request, action: Callable[[OperatorServices], Answer]) -> Answer:
    """Run `action` as the request's operator: with the step-up code the dialog sent, step up first; when the
    service asks for one, raise StepUpNeeded."""
    form = request.state.form
    replay = [(name, value) for name, value in form.multi_items()
              if name not in NOT_REPLAYED and isinstance(value, str)]
    code = form.get(STEP_UP_FIELD)
    if isinstance(code, str) and code.strip():
        policy = console.services(request).policy
        try:
            console.remember(request, step_up(policy, request.state.session, code))
        except Refused as refusal:
            if isinstance(refusal, NotAuthenticated):
                policy.me()  # the policy answers 401 for a wrong code and for an ended login alike: ask which
            raise StepUpNeeded(replay, refusal.message) from refusal
    try:
        return action(console.services(request))
    except StepUpRequired as needed:
        raise StepUpNeeded(replay) from needed
