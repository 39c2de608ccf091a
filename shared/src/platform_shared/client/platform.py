"""The routes every service serves (consumer groups, dead letters, the audit chain) and the client base that
carries them."""

from collections.abc import Iterator
from typing import Any

from platform_shared.client.endpoint import Endpoint
from platform_shared.client.transport import AdminHttp
from platform_shared.contracts.admin.models import ReasonIn
from platform_shared.contracts.admin.platform import (
    AUDIT_PAGE_MAX,
    AuditRecordOut,
    ChainOut,
    ConsumerOut,
    DeadLetterOut,
    PauseIn,
    RedriveIn,
    RedriveOut,
    ResumeIn,
    TaggedOut,
    TagIn,
)

LETTER_FILTERS = ("topic", "group", "exception_type", "cause", "since", "until")
CONSUMERS: Endpoint[list[ConsumerOut]] = Endpoint("GET", "/consumers", list[ConsumerOut])
PAUSE_CONSUMERS: Endpoint[list[ConsumerOut]] = Endpoint("POST", "/consumers/pause", list[ConsumerOut], PauseIn)
RESUME_CONSUMERS: Endpoint[list[ConsumerOut]] = Endpoint("POST", "/consumers/resume", list[ConsumerOut], ResumeIn)
DEAD_LETTERS: Endpoint[list[DeadLetterOut]] = Endpoint(
    "GET", "/dead-letters", list[DeadLetterOut], query=(*LETTER_FILTERS, "limit"))
DEAD_LETTER: Endpoint[DeadLetterOut] = Endpoint("GET", "/dead-letters/{letter_id}", DeadLetterOut)
TAG_LETTERS: Endpoint[TaggedOut] = Endpoint("POST", "/dead-letters/tags", TaggedOut, TagIn)
REDRIVES: Endpoint[list[RedriveOut]] = Endpoint("GET", "/dead-letters/redrives", list[RedriveOut], query=("limit",))
REDRIVE: Endpoint[RedriveOut] = Endpoint("GET", "/dead-letters/redrives/{redrive_id}", RedriveOut)
START_REDRIVE: Endpoint[RedriveOut] = Endpoint("POST", "/dead-letters/redrives", RedriveOut, RedriveIn)
CANCEL_REDRIVE: Endpoint[RedriveOut] = Endpoint(
    "POST", "/dead-letters/redrives/{redrive_id}/cancel", RedriveOut, ReasonIn)
AUDIT_FILTERS = ("actor", "action", "target", "since", "until")
AUDIT: Endpoint[list[AuditRecordOut]] = Endpoint(
    "GET", "/audit", list[AuditRecordOut], query=(*AUDIT_FILTERS, "before", "limit"))
VERIFY_AUDIT: Endpoint[ChainOut] = Endpoint("GET", "/audit/verify", ChainOut)


class ServiceClient:
    """One service's admin API; every service's client has these."""

    def __init__(self, http: AdminHttp) -> None:
        self.http = http

    def consumers(self) -> list[ConsumerOut]:
        return self.http.call(CONSUMERS)

    def pause_consumers(self, body: PauseIn) -> list[ConsumerOut]:
        return self.http.call(PAUSE_CONSUMERS, body)

    def resume_consumers(self, body: ResumeIn) -> list[ConsumerOut]:
        return self.http.call(RESUME_CONSUMERS, body)

    def dead_letters(self, **filters: Any) -> list[DeadLetterOut]:
        return self.http.call(DEAD_LETTERS, query=filters)

    def dead_letter(self, letter_id: int) -> DeadLetterOut:
        return self.http.call(DEAD_LETTER, letter_id=letter_id)

    def tag_letters(self, body: TagIn) -> TaggedOut:
        return self.http.call(TAG_LETTERS, body)

    def redrives(self) -> list[RedriveOut]:
        return self.http.call(REDRIVES)

    def redrive(self, redrive_id: str) -> RedriveOut:
        return self.http.call(REDRIVE, redrive_id=redrive_id)

    def start_redrive(self, body: RedriveIn) -> RedriveOut:
        return self.http.call(START_REDRIVE, body)

    def cancel_redrive(self, redrive_id: str, body: ReasonIn) -> RedriveOut:
        return self.http.call(CANCEL_REDRIVE, body, redrive_id=redrive_id)

    def audit(self, **filters: Any) -> list[AuditRecordOut]:
        """One page, newest first: `actor`, `action`, `target`, `since`, `until` (aware datetimes) narrow it,
        `limit` sizes it (≤ 200, default 50), `before` = the last record's `seq` of the page before."""
        return self.http.call(AUDIT, query=filters)

    def audit_records(self, page: int = AUDIT_PAGE_MAX, **filters: Any) -> Iterator[AuditRecordOut]:
        """Every record the filters select, newest first, fetched a page at a time as the caller reads on."""
        before = None
        while True:
            records = self.audit(**filters, before=before, limit=page)
            yield from records
            if len(records) < page:
                return
            before = records[-1].seq

    def verify_audit(self) -> ChainOut:
        return self.http.call(VERIFY_AUDIT)
