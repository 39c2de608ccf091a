"""The audit page's search (seed §2 "감사 로그 ON"): the four services each keep their own chain, so one page of
the search is the newest records of all four merged, and its "older" link carries one keyset cursor per service
(the last record each service gave to the page), never an offset — a log of a million records pages alike. Pure.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from console_service.domain.sections import N_
from platform_shared.time.clock import KST

SERVICES = ("lottery", "waitlist", "notifier", "policy")
SERVICE_TITLES = (N_("service:lottery"), N_("service:waitlist"), N_("service:notifier"), N_("service:policy"))
"""Each service's name as the page shows it (`_("service:" + name)`)."""
DONE = 0
"""A service's cursor once its records ran out: it is not asked again."""


class Record(Protocol):
    @property
    def seq(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def target(self) -> str: ...


def position(record: Record) -> int:
    """The number a service's log pages by (keyset, GET /audit's `before`): the record's place in its chain,
    newest highest, gapless (ids skip a number when a write rolls back)."""
    return record.seq


@dataclass(frozen=True)
class AuditQuery:
    """What the operator searched for; empty fields select everything."""

    service: str | None = None
    actor: str = ""
    action: str = ""
    target: str = ""
    since: datetime | None = None
    until: datetime | None = None

    def services(self) -> tuple[str, ...]:
        return (self.service,) if self.service in SERVICES else SERVICES

    def matches(self, record: Record) -> bool:
        """The whole query, checked here too: what a service could not filter yet is filtered on this side."""
        return ((not self.actor or record.actor == self.actor)
                and (not self.action or record.action == self.action)
                and (not self.target or record.target == self.target)
                and (self.since is None or record.at >= self.since)
                and (self.until is None or record.at < self.until))


@dataclass(frozen=True)
class Merged:
    rows: list[tuple[str, Record]]
    """(service, record), newest first."""
    cursor: dict[str, int | None] = field(default_factory=dict)
    """For the "older" link: each service's `before` (DONE when it has no more; None: from its newest)."""

    @property
    def more(self) -> bool:
        return any(before != DONE for before in self.cursor.values())


def merge_newest(fetched: Mapping[str, Sequence[Record]], before: Mapping[str, int | None], size: int) -> Merged:
    """The page of `size` newest records across services. `fetched[s]`: service s's records older than its
    cursor, newest first, up to `size + 1` of them (one more than a page shows tells whether more remain)."""
    everything = [(service, record) for service, records in fetched.items() for record in records]
    everything.sort(key=lambda row: (row[1].at, position(row[1])), reverse=True)
    rows = everything[:size]
    cursor: dict[str, int | None] = {}
    for service, records in fetched.items():
        taken = [position(record) for name, record in rows if name == service]
        if len(taken) == len(records) and len(records) <= size:
            cursor[service] = DONE
        else:
            cursor[service] = min(taken) if taken else before.get(service)
    cursor.update({service: DONE for service, value in before.items() if value == DONE})  # not asked this time
    return Merged(rows, cursor)


def kst_input(value: str | None) -> datetime | None:
    """A `datetime-local` field's value (`2026-12-24T20:00`), read as KST: the operator thinks in KST."""
    if not value:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=KST)


def cursor_of(values: Mapping[str, str]) -> dict[str, int | None]:
    """The "older" link's cursors (`before_lottery=…`), each service's; none or a bad value: from its newest."""
    cursor: dict[str, int | None] = {}
    for service in SERVICES:
        raw = values.get(f"before_{service}", "")
        cursor[service] = int(raw) if raw.isdigit() else None
    return cursor
