"""What the routes every service serves take and answer (seed §6): consumer groups' pause and
resume, dead letters with their tags and redrives, the audit log and its verification."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from platform_shared.contracts.admin.models import Reason, RowId, StrictModel

GroupId = Annotated[str, Field(min_length=1, max_length=200)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class ResumeIn(StrictModel):
    groups: list[GroupId] | None = Field(default=None, min_length=1, max_length=50)
    """Consumer groups of this service; or name `topic`; with neither, every group of the service."""
    topic: str | None = Field(default=None, min_length=1, max_length=200)
    reason: Reason


class PauseIn(ResumeIn):
    until: AwareDatetime | None = None
    """The pause lifts itself then, on every replica; without it, it holds until resumed."""


class DesiredOut(BaseModel):
    paused: bool
    until: datetime | None
    reason: str
    actor: str
    changed_at: datetime


class ReplicaOut(BaseModel):
    replica: str
    paused: bool
    """Every partition this replica holds for the group is paused (and it holds at least one)."""
    assigned: list[str]
    paused_partitions: list[str]
    lag: int | None
    """Records on its partitions not yet committed by the group."""
    reported_at: datetime


class ConsumerOut(BaseModel):
    group_id: str
    topic: str
    desired_paused: bool
    desired: DesiredOut | None
    replicas: list[ReplicaOut]


class DeadLetterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    consumer_group: str
    original_topic: str
    original_partition: int
    original_offset: int
    original_key: str | None
    exception_type: str
    exception_message: str
    attempts: int
    dead_letter_count: int
    """1, plus one for each redrive after which it failed again."""
    cause: str | None
    payload: str
    failed_at: datetime
    replayed_at: datetime | None
    """When a redrive sent it back (acknowledged by the broker)."""
    redrive_id: UUID | None
    payload_truncated: bool
    """Too big to keep whole: `payload` is the record's beginning (read the rest at its partition and offset)."""
    payload_bytes: int | None
    payload_sha256: str | None


class Selection(StrictModel):
    """Dead letters by id, or by filter (all filters optional; with none, every dead letter)."""

    ids: list[RowId] | None = Field(default=None, min_length=1, max_length=10_000)
    topic: Name | None = None
    group: Name | None = None
    exception_type: Name | None = None
    cause: Name | None = None
    """Ops' tag."""
    since: AwareDatetime | None = None
    until: AwareDatetime | None = None



class RedriveIn(Selection):
    rate_per_second: float = Field(default=10.0, gt=0, le=1000)
    reason: Reason


class TagIn(Selection):
    tag: Annotated[str, Field(min_length=2, max_length=100, pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    """The cause, e.g. `template-missing` (lower case, digits, `.`, `_`, `-`)."""


class FailedAgainOut(BaseModel):
    """A letter a redrive sent back that its consumer dead-lettered again."""

    letter_id: int
    """The letter the redrive sent."""
    new_letter_id: int
    """The letter it came back as (`dead_letter_count` one higher): inspect, tag or redrive that one."""
    dead_letter_count: int
    exception_type: str
    exception_message: str
    failed_at: datetime


class RedriveOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    status: str
    rate_per_second: float
    total: int
    """Letters chosen to send (those already sent back or past the maximum are counted in `skipped`)."""
    done: int
    """Letters handled so far, in order."""
    sent: int
    """Letters put back on their topic (the broker acknowledged) or in the service's own queue."""
    failed_again: int
    """Of those sent, how many their consumer dead-lettered again (each with its new letter below)."""
    redriven: int
    """Sent and not dead-lettered again so far: `sent - failed_again`. A consumer decides after the send (its
    retries take time), so read the redrive again later for the final figures."""
    failed_again_letters: list[FailedAgainOut]
    """The first hundred letters that failed again, oldest first."""
    skipped: int
    reason: str
    created_by: str
    created_at: datetime
    finished_at: datetime | None


class TaggedOut(BaseModel):
    tagged: int
    """Letters the tag was set on."""


AUDIT_PAGE, AUDIT_PAGE_MAX = 50, 200
"""Audit records a search answers by default, and at most (GET /audit `limit`)."""


class AuditRecordOut(BaseModel):
    id: int
    seq: int
    """The record's number in its chain (1, 2, 3… without gaps): a search's next page is `before` the last one's."""
    at: datetime
    actor: str
    action: str
    target: str
    # Open: each action records its own reason, before, after and params (audit/chain.py record_action),
    # and the log keeps them as written; their shape is the action's, not this answer's.
    details: dict[str, Any]
    hash: str


class ChainOut(BaseModel):
    intact: bool
    records: int
    first_broken_id: int | None
    problem: str | None
    anchored_id: int | None
    """The newest record this service has seen anchored outside the database."""
