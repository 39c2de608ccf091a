"""CSV cells a spreadsheet will not run (OWASP "CSV injection"): a text cell that begins with `=`, `+`, `-`,
`@`, a tab or a carriage return is read by Excel and LibreOffice as a formula, so an operator opening an export
could run what an entrant or a campaign name put there. Such a cell gets a leading `'`, which spreadsheets
show as text and drop; numbers the exports write themselves are not cells of this kind."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: str) -> str:
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell
