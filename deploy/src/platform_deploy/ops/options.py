"""Options several commands share: `--totp` on every command that may need a fresh second factor, listed in
that command's own help (it works before the subcommand too, for old scripts)."""

import functools
import inspect
from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any, TypeVar

import typer

from platform_deploy.ops.output import context, set_context
from platform_deploy.ops.words import Words

Command = TypeVar("Command", bound=Callable[..., Any])
TOTP_HELP = "A TOTP code (the authenticator's 6 digits), used if this action needs a fresh second factor"
TOTP_KO = "TOTP 코드(인증 앱의 6자리), 이 작업에 새 2차 인증이 필요할 때 쓰입니다"
WORDS = Words({}, help={TOTP_HELP: TOTP_KO})
Totp = Annotated[str | None, typer.Option("--totp", help=TOTP_HELP)]


def takes_totp(command: Command) -> Command:
    """The command with a `--totp CODE` option of its own, which takes the place of the root's."""

    @functools.wraps(command)
    def with_totp(*args: Any, totp: str | None = None, **kwargs: Any) -> Any:
        if totp is not None:
            set_context(replace(context(), totp=totp))
        return command(*args, **kwargs)

    signature = inspect.signature(command)
    option = inspect.Parameter("totp", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Totp)
    with_totp.__signature__ = signature.replace(  # type: ignore[attr-defined]  # read by Typer
        parameters=[*signature.parameters.values(), option])
    with_totp.__annotations__ = {**command.__annotations__, "totp": Totp}
    return with_totp  # type: ignore[return-value]  # the same command, one keyword more
