"""`lottery-ops draws entries import FILE`: load entrants from CSV or JSON (SPEC §3). Every row is checked
here first; one bad row is reported with the others (row and field) and nothing is sent. The lottery stores
the batch all or nothing, so a refusal there stores nothing either."""

import csv
import io
import json
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress

from platform_deploy.ops.client import Ops, Refused, body
from platform_deploy.ops.output import console, context, emit, table
from platform_deploy.ops.words import Words
from platform_shared.client.endpoint import as_json
from platform_shared.contracts.admin.lottery_requests import EntriesIn, EntryIn

HELP = "Load entrants into an open draw (all or nothing)."
WORDS = Words({
    "no_header": ("the first line must name the columns (kakao_user_id, weight, …)",
                  "첫 줄에 열 이름이 있어야 합니다(kakao_user_id, weight, …)"),
    "unknown_column": ("not a column of an entry (known: {known})", "응모의 열이 아닙니다(알려진 열: {known})"),
    "missing_column": ("required column missing", "필수 열이 없습니다"),
    "not_json": ("not JSON ({error})", "JSON이 아닙니다({error})"),
    "json_shape": ('expected a list of entries or {"entries": [...]}',
                   '응모 목록 또는 {"entries": [...]} 형식이어야 합니다'),
    "not_object": ("an entry must be an object", "응모 하나는 객체여야 합니다"),
    "repeated": ("kakao_user_id {user} is already on row {first}",
                 "kakao_user_id {user}은(는) 이미 {first}행에 있습니다"),
    "empty": ("no entries in the file", "파일에 응모가 없습니다"),
    "refused": ("{count} row(s) of {file} are wrong: nothing was sent, nothing stored",
                "{file}의 {count}개 행이 잘못되었습니다: 아무것도 보내지 않았고 저장되지 않았습니다"),
    "checking": ("checking rows", "행 점검 중"),
    "sending": ("sending {count} entries to the lottery (stored all or nothing)…",
                "응모 {count}건을 추첨 서비스로 보내는 중(모두 저장되거나 하나도 저장되지 않음)…"),
    "added": ("{added} entries added to {campaign}", "{campaign}에 응모 {added}건을 추가했습니다"),
    "unreadable": ("{file}: cannot be read ({error})", "{file}: 읽을 수 없습니다({error})"),
}, help={
    HELP: "열려 있는 추첨에 응모자를 넣습니다(모두 또는 하나도 안 넣음).",
    "Check every row, then send them in one batch: a wrong row is reported by row and field, and then\n"
    "nothing is sent; the lottery stores the batch all or nothing (a user already entered refuses it).":
        "모든 행을 점검한 뒤 한 번에 보냅니다: 잘못된 행은 행과 항목으로 알리고 아무것도 보내지 않습니다; 추첨 "
        "서비스는 묶음을 모두 저장하거나 하나도 저장하지 않습니다(이미 응모한 사용자가 있으면 거절).",
    "CSV with a header line, or JSON": "머리 줄이 있는 CSV, 또는 JSON",
    "csv | json (default: from the file's suffix)": "csv | json (기본: 파일 확장자로)",
})
COLUMNS = tuple(EntryIn.model_fields)
REQUIRED = tuple(name for name, field in EntryIn.model_fields.items() if field.is_required())
PROGRESS_FROM = 2_000
"""Rows from which checking them shows a progress bar."""

app = typer.Typer(no_args_is_help=True, help=HELP)


@dataclass(frozen=True)
class RowError:
    """`row`: the CSV line (the header is row 1), or the entry's place in a JSON list (from 1)."""

    row: int
    field: str
    message: str


class EntriesRefused(Refused):
    """Rows of the file are wrong: reported, nothing sent (exit 3: refused, nothing changed)."""


def read_rows(text: str, kind: str) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """The file's rows with their numbers, before checking their values; errors of the file's shape."""
    if kind == "json":
        return _json_rows(text)
    return _csv_rows(text)


def _csv_rows(text: str) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))  # a BOM from spreadsheet exports
    header = [name.strip() for name in next(reader, [])]
    if not any(header):
        return [], [RowError(1, "header", WORDS["no_header"])]
    errors = [RowError(1, name or f"column {index + 1}", WORDS["unknown_column"].format(known=", ".join(COLUMNS)))
              for index, name in enumerate(header) if name not in COLUMNS]
    errors += [RowError(1, name, WORDS["missing_column"]) for name in REQUIRED if name not in header]
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line (a trailing newline, a gap) is not an entry
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)
                  if name in COLUMNS and cell.strip() != ""}
        rows.append((reader.line_num, values))
    return rows, errors


def _json_rows(text: str) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    try:
        document = json.loads(text)
    except ValueError as error:
        return [], [RowError(0, "file", WORDS["not_json"].format(error=error))]
    items = document.get("entries") if isinstance(document, dict) else document
    if not isinstance(items, list):
        return [], [RowError(0, "file", WORDS["json_shape"])]
    rows, errors = [], []
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            rows.append((number, item))
        else:
            errors.append(RowError(number, "entry", WORDS["not_object"]))
    return rows, errors


def check_row(number: int, values: dict[str, Any]) -> tuple[EntryIn | None, list[RowError]]:
    """One row as the lottery would take it, or every field it would refuse."""
    try:
        return EntryIn.model_validate(values), []
    except ValidationError as error:
        return None, [RowError(number, ".".join(map(str, e["loc"])) or "entry", e["msg"]) for e in error.errors()]


def parse_entries(text: str, kind: str, progress: Progress | None = None) -> tuple[list[EntryIn], list[RowError]]:
    """Every row checked; the entries only when no row is wrong (a user twice in the file is wrong too)."""
    rows, errors = read_rows(text, kind)
    task = progress.add_task(WORDS["checking"], total=len(rows)) if progress else None
    entries: list[EntryIn] = []
    first_row: dict[int, int] = {}
    for number, values in rows:
        entry, wrong = check_row(number, values)
        errors += wrong
        if entry is not None:
            if entry.kakao_user_id in first_row:
                errors.append(RowError(number, "kakao_user_id", WORDS["repeated"].format(
                    user=entry.kakao_user_id, first=first_row[entry.kakao_user_id])))
            first_row.setdefault(entry.kakao_user_id, number)
            entries.append(entry)
        if progress is not None and task is not None:
            progress.advance(task)
    if not rows and not errors:
        errors.append(RowError(0, "file", WORDS["empty"]))
    return (entries if not errors else []), errors


def kind_of(file: Path, given: str | None) -> str:
    if given:
        return given
    return "json" if file.suffix.lower() == ".json" else "csv"


@app.command("import")
def import_entries(
        campaign: str, file: Annotated[Path, typer.Argument(help="CSV with a header line, or JSON")],
        file_format: Annotated[str | None, typer.Option(
            "--format", help="csv | json (default: from the file's suffix)")] = None) -> None:
    """Check every row, then send them in one batch: a wrong row is reported by row and field, and then
    nothing is sent; the lottery stores the batch all or nothing (a user already entered refuses it)."""
    if file_format not in (None, "csv", "json"):
        raise typer.BadParameter("csv or json", param_hint="--format")
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Refused(WORDS["unreadable"].format(file=file, error=error)) from error
    quiet = context().as_json or text.count("\n") < PROGRESS_FROM
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  console=console, disable=quiet, transient=True) as progress:
        entries, errors = parse_entries(text, kind_of(file, file_format), progress)
    if errors:
        report = [asdict(error) for error in errors]
        emit({"errors": report}, lambda data: table(data["errors"], ["row", "field", "message"]))
        raise EntriesRefused(WORDS["refused"].format(count=len({e.row for e in errors}), file=file))
    batch = body(EntriesIn, entries=entries)
    with console.status(WORDS["sending"].format(count=len(entries))) if not context().as_json else nullcontext():
        added = as_json(Ops(context().totp).lottery.add_entries(campaign, batch))
    emit({"campaign_id": campaign, **added},
         lambda data: console.print(WORDS["added"].format(added=data.get("added"), campaign=campaign)))
