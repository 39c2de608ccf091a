"""How the ops CLI shows what it got: tables sized to the terminal, nested data as sub-tables, ids never cut
into ambiguity; the service's JSON with `--json`. Asking (two-step actions) happens only at a terminal."""

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import typer
from rich import box
from rich.console import Console, RenderableType
from rich.table import Table

from platform_deploy.ops.client import OpsError
from platform_deploy.ops.words import Words, readable

console = Console()

WORDS = Words({
    "not_confirmed": ("not confirmed: nothing was done", "확인하지 않았습니다: 아무것도 하지 않았습니다"),
    "no_terminal": ("{question} — there is no terminal to ask on: nothing was done; add --yes to confirm",
                    "{question} — 물어볼 터미널이 없습니다: 아무것도 하지 않았습니다; 확인하려면 --yes를 붙이세요"),
    "shortened": ("ids shortened to unique prefixes to fit the terminal; --json prints them whole",
                  "터미널 너비에 맞추어 ID를 겹치지 않는 앞부분으로 줄였습니다; --json은 전체를 출력합니다"),
    "empty": ("—", "—"),
})
ID_COLUMNS = ("id", "run_id", "previous_run_id", "request_id", "redrive_id", "dedupe_key")
"""Columns holding long opaque ids: whole when the table fits, else their shortest unique prefixes."""
SHORTEST_PREFIX = 8


class NoTerminal(OpsError):
    """A question with nobody to answer it (no terminal): a usage error, nothing was done."""

    exit_code = 2


@dataclass(frozen=True)
class Context:
    """What every command gets from the root options (and its own `--totp`)."""

    as_json: bool
    yes: bool
    totp: str | None


_root: ContextVar[Context | None] = ContextVar("ops_root_options", default=None)


def set_context(options: Context) -> None:
    """Called by the root command with its options, before the subcommand runs."""
    _root.set(options)


def context() -> Context:
    return _root.get() or Context(as_json=False, yes=False, totp=None)


def at_terminal() -> bool:
    """Whether a person can answer a question here (stdin is a terminal)."""
    return sys.stdin.isatty()


def emit(data: Any, show: Callable[[Any], None]) -> None:
    if context().as_json:
        typer.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))
    else:
        show(data)


def unique_prefixes(values: Sequence[str], shortest: int = SHORTEST_PREFIX) -> dict[str, str]:
    """Each value → its shortest prefix (at least `shortest` long) that no other value starts with; a value
    that is a prefix of another stays whole."""
    distinct = sorted(set(values))
    prefixes = {}
    for index, value in enumerate(distinct):
        neighbours = distinct[max(index - 1, 0):index] + distinct[index + 1:index + 2]
        common = max((_common_length(value, other) for other in neighbours), default=0)
        prefixes[value] = value[:max(shortest, common + 1)]
    return prefixes


def _common_length(one: str, other: str) -> int:
    length = 0
    while length < min(len(one), len(other)) and one[length] == other[length]:
        length += 1
    return length


def table(rows: Iterable[dict[str, Any]], columns: Sequence[str], title: str | None = None) -> None:
    console.print(table_of(list(rows), columns, title, console.width))


def table_of(rows: list[dict[str, Any]], columns: Sequence[str], title: str | None, width: int) -> Table:
    """The rows as a table no wider than `width`: nothing is cut with `…` (long cells fold), and id columns
    give way to their unique prefixes first."""
    shown = _table(rows, columns, title)
    if _width(shown) <= width:
        return shown
    shortened = [dict(row) for row in rows]
    for column in (c for c in columns if c in ID_COLUMNS):
        prefixes = unique_prefixes([str(row[column]) for row in rows if row.get(column) is not None])
        for row in shortened:
            if row.get(column) is not None:
                row[column] = prefixes[str(row[column])]
    shown = _table(shortened, columns, title)
    if shortened != rows:
        shown.caption = WORDS["shortened"]
    return shown


def _table(rows: list[dict[str, Any]], columns: Sequence[str], title: str | None) -> Table:
    shown = Table(title=title)
    for column in columns:
        shown.add_column(column, overflow="fold")
    for row in rows:
        shown.add_row(*(renderable(row.get(column)) for column in columns))
    return shown


def _width(shown: Table) -> int:
    return Console(width=10_000).measure(shown).maximum


def fields(data: dict[str, Any], names: Sequence[str] | None = None, title: str | None = None) -> None:
    console.print(fields_of(data, names, title))


def fields_of(data: dict[str, Any], names: Sequence[str] | None = None, title: str | None = None) -> Table:
    """One record as name / value lines; a nested value as a sub-table or an indented list."""
    shown = Table(title=title, show_header=False)
    shown.add_column(overflow="fold")
    shown.add_column(overflow="fold")
    for name in names or list(data):
        shown.add_row(name, renderable(data.get(name)))
    return shown


def renderable(value: Any) -> RenderableType:
    """A cell: a scalar as text, a mapping as a name / value sub-table, a list of records as a sub-table with
    a header, a list of scalars as one comma-separated line. Never JSON."""
    if isinstance(value, dict):
        if not value:
            return WORDS["empty"]
        inner = Table(show_header=False, box=None, padding=(0, 1, 0, 0))
        for name, item in value.items():
            inner.add_row(str(name), renderable(item))
        return inner
    if isinstance(value, list):
        if not value:
            return WORDS["empty"]
        if all(isinstance(item, dict) for item in value):
            columns = list(dict.fromkeys(name for item in value for name in item))
            inner = Table(*columns, box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0))
            for item in value:
                inner.add_row(*(renderable(item.get(column)) for column in columns))
            return inner
        if all(not isinstance(item, dict | list) for item in value):
            return ", ".join(scalar(item) for item in value)
        inner = Table(show_header=False, box=None, padding=(0, 0, 0, 0))
        for item in value:
            inner.add_row(renderable(item))
        return inner
    return scalar(value)


def scalar(value: Any) -> str:
    """A value as text; an instant in KST to the minute, the zone named."""
    if value is None:
        return WORDS["empty"]
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(readable(value))


def confirm(question: str) -> None:
    """Step two of a two-step action: `--yes` answers for scripts; without a terminal nobody is asked (say to
    use --yes); a no stops here with nothing done."""
    if context().yes:
        return
    if not at_terminal():
        raise NoTerminal(WORDS["no_terminal"].format(question=question))
    if not typer.confirm(question, default=False):
        raise OpsError(WORDS["not_confirmed"])
