"""Lists paginated on the server: a run with 100,000 winners or an audit log with a million records is read one
page at a time, never whole."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    """Page `number` (1-based) of `size` rows out of `total`."""

    number: int
    size: int
    total: int

    @classmethod
    def of(cls, number: int | None, size: int | None, total: int) -> "Page":
        """What the operator asked for, brought into range: a page past the end shows the last one."""
        chosen = size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE
        last = max(1, -(-total // chosen))
        return cls(min(max(1, number or 1), last), chosen, total)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first_row(self) -> int:
        return 0 if self.total == 0 else self.offset + 1

    @property
    def last_row(self) -> int:
        return min(self.total, self.offset + self.size)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.last else None


class Counted(Protocol):
    @property
    def total(self) -> int: ...


Rows = TypeVar("Rows", bound=Counted)


def paged(fetch: Callable[[int, int], Rows], number: int | None, size: int | None) -> tuple[Rows, Page]:
    """A page of a list whose service answers `total` with its rows (`fetch(offset, limit)`): the page asked
    for, or the last one when it is past the end (read again from there)."""
    asked = Page.of(number, size, 0)
    offset = (max(1, number or 1) - 1) * asked.size
    found = fetch(offset, asked.size)
    page = Page.of(number, size, found.total)
    if page.offset != offset:
        found = fetch(page.offset, page.size)
    return found, page
