"""An uploaded entries file read row by row before anything is sent (SPEC §3, as `lottery-ops draws entries
import` does): every wrong row is reported by its line and field, and then nothing is sent — the lottery stores
a batch all or nothing, so one refusal there stores nothing either."""

import csv
import io
from dataclasses import dataclass
from dataclasses import field as default

from pydantic import ValidationError

from console_service.domain.sections import N_
from platform_shared.contracts.admin.lottery_requests import EntryIn

COLUMNS = tuple(EntryIn.model_fields)
REQUIRED = tuple(name for name, info in EntryIn.model_fields.items() if info.is_required())


@dataclass(frozen=True)
class RowError:
    """`row`: the CSV line (the header is line 1). `message`: an English msgid, shown translated with `params`."""

    row: int
    field: str
    message: str
    params: dict[str, str] = default(default_factory=dict)


@dataclass(frozen=True)
class ReadEntries:
    entries: list[EntryIn]
    """Empty whenever any row is wrong: nothing is sent."""
    errors: list[RowError]
    rows: int


def read_entries(text: str) -> ReadEntries:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))  # a BOM from spreadsheet exports
    header = [name.strip() for name in next(reader, [])]
    if not any(header):
        return ReadEntries([], [RowError(1, "header", N_("The first line must name the columns"))], 0)
    errors = [RowError(1, name or "?", N_("Not a column of an entry (known: %(known)s)"),
                       {"known": ", ".join(COLUMNS)}) for name in header if name not in COLUMNS]
    errors += [RowError(1, name, N_("Required column missing")) for name in REQUIRED if name not in header]
    entries: list[EntryIn] = []
    first_line: dict[int, int] = {}
    rows = 0
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line is not an entry
        rows += 1
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)
                  if name in COLUMNS and cell.strip()}
        try:
            entry = EntryIn.model_validate(values)
        except ValidationError as error:
            errors += [RowError(reader.line_num, ".".join(map(str, e["loc"])) or "entry",
                                N_("Not a valid value: %(detail)s"), {"detail": e["msg"]}) for e in error.errors()]
            continue
        if entry.kakao_user_id in first_line:
            errors.append(RowError(reader.line_num, "kakao_user_id", N_("Already on line %(line)s"),
                                   {"line": str(first_line[entry.kakao_user_id])}))
        first_line.setdefault(entry.kakao_user_id, reader.line_num)
        entries.append(entry)
    if rows == 0 and not errors:
        errors.append(RowError(0, "file", N_("No entries in the file")))
    return ReadEntries(entries if not errors else [], errors, rows)
