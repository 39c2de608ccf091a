"""Event contracts: the only shapes that cross Kafka. Services import these, never redefine them.

Every event carries an `event_id` (consumers dedupe on it), a `schema_version` and the instant it
occurred. A draw's results travel in parts so no message nears Kafka's 1 MB limit (SPEC §2).
"""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from platform_shared.contracts.notices import DEFAULT_CHANNEL, Channel
from platform_shared.contracts.policy import PolicyDocument

UserId = Annotated[str, Field(min_length=1, max_length=100)]

RESULTS_PER_PART = 2_000
"""~40 bytes a ranked entrant → ~80 KB a part, far below 1 MB even with long user ids."""


class Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: UUID = Field(default_factory=uuid4)
    schema_version: Literal[1] = 1
    occurred_at: AwareDatetime

    def partition_key(self) -> bytes:
        """Events with the same key keep their order (one Kafka partition)."""
        return str(self.event_id).encode()


class RunEvent(Event):
    """About one draw run: keyed by the run, so a run's events keep their order."""

    run_id: UUID

    def partition_key(self) -> bytes:
        return str(self.run_id).encode()


class UserEvent(Event):
    """About telling one user something: keyed by the user, so their messages keep their order."""

    user_id: UserId

    def partition_key(self) -> bytes:
        return self.user_id.encode()


class RankedEntrant(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rank: int = Field(ge=1)
    user_id: UserId


class RolledBackRun(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    run_id: UUID
    reason: str = Field(min_length=1)
    rolled_back_at: AwareDatetime


class DrawCompleted(RunEvent):
    """One part of a finished draw: its winners and waitlist slices, in rank order."""

    event_type: Literal["draw_completed"] = "draw_completed"
    campaign_id: str = Field(min_length=1)
    seats: int = Field(ge=1)
    waitlist_size: int = Field(ge=0)
    policy_version: int = Field(ge=0)
    part: int = Field(ge=1)
    part_count: int = Field(ge=1)
    winners: tuple[RankedEntrant, ...]
    waitlist: tuple[RankedEntrant, ...]
    campaign_name: str | None = Field(default=None, min_length=1, max_length=200)
    """The campaign's display name, what people read (messages name it, not the id); None from a producer
    older than the field, and then the id stands in."""
    re_draws: RolledBackRun | None = None
    """The rolled-back run this one re-draws (seed §3.5): whoever was told of a seat in that run learns their
    net change once this run's outcome is known. It travels with the results, so a consumer that reads them
    before the `draw_rolled_back` of the run they replace (another topic) still knows what was rolled back."""

    @property
    def display_name(self) -> str:
        return self.campaign_name or self.campaign_id


class DrawRolledBack(RunEvent):
    event_type: Literal["draw_rolled_back"] = "draw_rolled_back"
    campaign_id: str = Field(min_length=1)
    reason: str = Field(min_length=1)


class WaitlistPromoted(RunEvent):
    event_type: Literal["waitlist_promoted"] = "waitlist_promoted"
    campaign_id: str = Field(min_length=1)
    offer_id: UUID
    user_id: UserId
    rank: int = Field(ge=1)
    trigger: Literal["declined", "scheduled", "manual"]
    """What started the promotion pass: a decline, the scheduler (expiries) or an operator."""
    respond_by: AwareDatetime


class WaitlistExhausted(RunEvent):
    """A seat of this run was free and nobody was left on the waitlist to offer it to."""

    event_type: Literal["waitlist_exhausted"] = "waitlist_exhausted"
    campaign_id: str = Field(min_length=1)
    seats_left: int = Field(ge=1)


TemplateName = Literal["WINNER_OFFER", "WAITLIST_PROMOTION", "DRAW_ROLLBACK_NOTICE", "INCIDENT_NOTICE",
                       "SEAT_CONFIRMED"]
"""SEAT_CONFIRMED: after a rollback's re-run, the seat someone was told of stands (runbook §14.2), with the
re-run's offer to answer."""
MessageLocale = Literal["ko", "en"]


class NotificationRequested(UserEvent):
    """Ask the notifier to tell one user something. `dedupe_key` names the logical notification:
    the notifier stores and sends each key at most once, however often it is requested."""

    event_type: Literal["notification_requested"] = "notification_requested"
    dedupe_key: str = Field(min_length=1, max_length=300)
    template: TemplateName
    params: dict[str, str] = Field(default_factory=dict)
    campaign_id: str | None = None
    run_id: UUID | None = None
    locale: MessageLocale | None = None
    """The language the person reads; None → Korean (people read Korean first)."""
    channel: Channel = DEFAULT_CHANNEL
    """How it reaches the person: the messaging vendor (Kakao/SMS), or e-mail for a notice (seed §1 INCIDENT_NOTICE)."""


class NotificationDelivered(RunEvent):
    """The vendor took a notification (published for offer templates): the waitlist counts an offer's
    answer window from here, so a notification held through quiet hours never shortens it."""

    event_type: Literal["notification_delivered"] = "notification_delivered"
    dedupe_key: str
    user_id: UserId
    template: TemplateName
    delivered_at: AwareDatetime


class NotificationUndeliverable(RunEvent):
    """The notifier gave up on an offer's notification (the vendor refused the recipient for good, or the retries
    ran out; published for offer templates): the waitlist starts the offer's answer window now, so the seat
    does not wait for a message that will not come. The entrant can still answer in the app; ops can
    redrive the message (its delivery then moves the deadline on again)."""

    event_type: Literal["notification_undeliverable"] = "notification_undeliverable"
    dedupe_key: str
    user_id: UserId
    template: TemplateName
    failed_at: AwareDatetime


class PolicyChanged(Event):
    """A full policy snapshot; the topic is compacted so the newest snapshot is always there."""

    event_type: Literal["policy_changed"] = "policy_changed"
    version: int = Field(ge=1)
    policy: PolicyDocument

    def partition_key(self) -> bytes:
        return b"policy"


class AdminAccountChanged(Event):
    """An admin account's state every service needs to judge its tokens: tokens issued before
    `tokens_valid_after` are void (a 2FA reset). Keyed by account on a compacted topic."""

    event_type: Literal["admin_account_changed"] = "admin_account_changed"
    account: str = Field(min_length=1, max_length=100)
    role: str = Field(min_length=1, max_length=20)
    tokens_valid_after: AwareDatetime | None = None

    def partition_key(self) -> bytes:
        return self.account.encode()


class AdminSessionEnded(Event):
    """One login ended before its access tokens expired (a logout): every service refuses the tokens of that
    session from then on (their `sid`), while the account's other logins go on. Keyed by session."""

    event_type: Literal["admin_session_ended"] = "admin_session_ended"
    session_id: str = Field(min_length=1, max_length=100)
    account: str = Field(min_length=1, max_length=100)

    def partition_key(self) -> bytes:
        return self.session_id.encode()


class AuditAnchored(Event):
    """One record of an audit chain (a service's database), published as it is written: its number and hash
    outside the table it protects. Keyed by chain and number on a compacted topic, so every anchor stays;
    anchors from before records were numbered have no `seq` and are keyed by chain alone."""

    event_type: Literal["audit_anchored"] = "audit_anchored"
    chain: str = Field(min_length=1, max_length=100)
    record_id: int = Field(ge=1)
    seq: int | None = Field(default=None, ge=1)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")

    def partition_key(self) -> bytes:
        return (self.chain if self.seq is None else f"{self.chain}:{self.seq}").encode()


class ServiceStatus(Event):
    """A process saying which policy version it runs on, every few seconds and at each change."""

    event_type: Literal["service_status"] = "service_status"
    service: str = Field(min_length=1, max_length=50)
    instance: str = Field(min_length=1, max_length=100)
    policy_version: int = Field(ge=0)

    def partition_key(self) -> bytes:
        return f"{self.service}/{self.instance}".encode()


class DeadLetter(BaseModel):
    """What a consumer could not process, with everything needed to inspect and replay it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    original_topic: str
    original_partition: int
    original_offset: int
    original_key: str | None
    consumer_group: str
    exception_type: str
    exception_message: str
    attempts: int = Field(ge=1)
    payload: str
    """The original message value, decoded as UTF-8 with invalid bytes replaced."""
    failed_at: datetime
    original_headers: dict[str, str] = Field(default_factory=dict)
    """The record's headers, so a redrive sends it back as it came (the redrive count apart)."""
    dead_letter_count: int = Field(default=1, ge=1)
    """How often this record was dead-lettered: 1, plus one for each redrive that failed again."""
    payload_truncated: bool = False
    """The record was too big to keep whole inside Kafka's message limit (a letter carries it JSON-escaped):
    `payload` is its beginning and `original_headers` are left out; the original stays at its topic, partition
    and offset. Such a letter is not redriven."""
    payload_bytes: int | None = None
    """The original value's size, when truncated."""
    payload_sha256: str | None = None
    """The original value's SHA-256 (hex), when truncated."""


class AttemptRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    attempt: int
    at: datetime
    verdict: str
    reason: str


class NotificationDeadLettered(UserEvent):
    """A notification the vendor never took: permanently refused, or out of retries (SPEC §5)."""

    event_type: Literal["notification_dead_lettered"] = "notification_dead_lettered"
    dedupe_key: str
    template: TemplateName
    run_id: UUID | None = None
    reason: str
    attempts: tuple[AttemptRecord, ...]
