"""One page of the audit search across the services (domain/audit_search.py merges it): each service is asked for
the records older than its cursor that the query selects, at most a page and one more.

Every service's GET /audit filters by actor, action, target and time and pages by `before` (the chain's `seq`)
itself, on indexes (platform_0006): every page is one small query per service, a log of a million records
included. SERVER_FILTERS names them; a filter a service could not apply would be applied here over its newest
WINDOW records, and the page would say so."""

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from console_service.adapters.services import OperatorServices
from console_service.domain.audit_search import DONE, AuditQuery, Merged, merge_newest, position
from platform_shared.contracts.admin.platform import AuditRecordOut, ChainOut

SERVER_FILTERS = frozenset({"actor", "action", "target", "since", "until", "before"})
"""The filters GET /audit applies itself; the rest are applied here (seed §2 audit log, the seam above)."""
WINDOW = 200
"""How far back a filter the service cannot apply would reach: GET /audit's largest `limit`."""


@dataclass(frozen=True)
class AuditPage:
    merged: Merged
    windowed: bool
    """Some service's answer filled the window: older matching records may exist beyond it."""


def _asked(query: AuditQuery, before: int | None, want: int) -> tuple[dict[str, Any], bool]:
    """What the service is asked, and whether the answer must be filtered here (a window rather than a page)."""
    wanted = {"actor": query.actor, "action": query.action, "target": query.target,
              "since": query.since, "until": query.until, "before": before}
    given = {name: value for name, value in wanted.items() if value}
    server = {name: value for name, value in given.items() if name in SERVER_FILTERS}
    local = len(server) < len(given)
    return {**server, "limit": WINDOW if local else want}, local


def _records(services: OperatorServices, service: str, query: AuditQuery, before: int | None,
             want: int) -> tuple[list[AuditRecordOut], bool]:
    asked, local = _asked(query, before, want)
    answer = services.service(service).audit(**asked)
    if not local:
        return answer, False
    kept = [r for r in answer if query.matches(r) and (before is None or position(r) < before)]
    return kept[:want], len(answer) >= WINDOW


def search(services: OperatorServices, query: AuditQuery, cursor: Mapping[str, int | None],
           size: int) -> AuditPage:
    """The page of `size` newest records after `cursor`, the services asked side by side."""
    asked = [service for service in query.services() if cursor.get(service) != DONE]
    with ThreadPoolExecutor(max_workers=len(asked) or 1) as pool:
        answers = list(pool.map(lambda s: _records(services, s, query, cursor.get(s), size + 1), asked))
    fetched: dict[str, Sequence[AuditRecordOut]] = {s: records for s, (records, _) in zip(asked, answers, strict=True)}
    merged = merge_newest(fetched, {s: cursor.get(s) for s in query.services()}, size)
    return AuditPage(merged, any(windowed for _, windowed in answers))


def verify_all(services: OperatorServices, names: Sequence[str]) -> dict[str, ChainOut]:
    """Each service's chain checked (GET /audit/verify), side by side: every hash recomputed, the anchor compared."""
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        return dict(zip(names, pool.map(lambda name: services.service(name).verify_audit(), names), strict=True))
