"""Searching the audit log (audit/search.py) and the client's walk over its pages (client/platform.py): a time
range that selects nothing is refused by field, and the walk asks for each page below the last record it got."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from platform_shared.audit.search import AuditSearch
from platform_shared.client.endpoint import Endpoint
from platform_shared.client.platform import AUDIT, ServiceClient
from platform_shared.client.transport import AdminHttp
from platform_shared.contracts.admin.platform import AuditRecordOut
from platform_shared.errors import InvalidInputError

NOON = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def test_until_must_come_after_since() -> None:
    for until in (NOON, NOON - timedelta(seconds=1)):
        with pytest.raises(InvalidInputError) as refused:
            AuditSearch(since=NOON, until=until)
        assert refused.value.field == "until"
    AuditSearch(since=NOON, until=NOON + timedelta(microseconds=1))


class ChainOfRecords(AdminHttp):
    """A service's audit search over `count` records, answered the way GET /audit answers: newest first,
    below `before`, at most `limit`."""

    def __init__(self, count: int) -> None:
        super().__init__("http://audit.invalid")
        self.records = [AuditRecordOut(id=seq, seq=seq, at=NOON, actor="admin", action="a", target="t", details={},
                                       hash="0" * 64) for seq in range(count, 0, -1)]
        self.asked: list[dict[str, Any]] = []

    def call_with_headers(self, endpoint: Endpoint[Any], body: Any = None, query: dict[str, Any] | None = None,
                          **path: object) -> tuple[Any, httpx.Headers]:
        assert endpoint is AUDIT and query is not None
        self.asked.append(query)
        before = query["before"] or len(self.records) + 1
        return [r for r in self.records if r.seq < before][:query["limit"]], httpx.Headers()


@pytest.mark.parametrize("count", [0, 1, 6, 7, 20])
def test_the_walk_reads_every_record_once_newest_first(count: int) -> None:
    chain = ChainOfRecords(count)
    walked = list(ServiceClient(chain).audit_records(page=3, actor="admin"))
    assert [r.seq for r in walked] == list(range(count, 0, -1))
    assert [q["before"] for q in chain.asked] == [None, *range(count - 2, 0, -3)][:count // 3 + 1], "below the last seq"
    assert all(q["actor"] == "admin" and q["limit"] == 3 for q in chain.asked)
