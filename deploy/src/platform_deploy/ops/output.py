"""How the ops CLI shows what it got: a table or a checklist for people, the service's JSON with `--json`."""

import json
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from platform_deploy.ops.client import OpsError

console = Console()


@dataclass(frozen=True)
class Context:
    """What every command gets from the root options."""

    as_json: bool
    yes: bool
    totp: str | None


_root: ContextVar[Context | None] = ContextVar("ops_root_options", default=None)


def set_context(options: Context) -> None:
    """Called by the root command with its options, before the subcommand runs."""
    _root.set(options)


def context() -> Context:
    return _root.get() or Context(as_json=False, yes=False, totp=None)


def emit(data: Any, show: Callable[[Any], None]) -> None:
    if context().as_json:
        typer.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))
    else:
        show(data)


def table(rows: Iterable[dict[str, Any]], columns: Sequence[str], title: str | None = None) -> None:
    shown = Table(title=title)
    for column in columns:
        shown.add_column(column)
    for row in rows:
        shown.add_row(*(_cell(row.get(column)) for column in columns))
    console.print(shown)


def fields(data: dict[str, Any], names: Sequence[str] | None = None, title: str | None = None) -> None:
    shown = Table(title=title, show_header=False)
    for name in names or list(data):
        shown.add_row(name, _cell(data.get(name)))
    console.print(shown)


def confirm(question: str) -> None:
    """Step two of a two-step action: `--yes` answers for scripts; a no stops here with nothing done."""
    if context().yes:
        return
    if not typer.confirm(question, default=False):
        raise OpsError("not confirmed: nothing was done")


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
