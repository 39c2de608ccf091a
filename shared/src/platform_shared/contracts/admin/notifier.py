"""What the notifier's operator routes take and answer: the queue, the dashboard, the sender's pause, templates,
the manual resend and the contact book for e-mail notices, with the fields the routes have always sent."""

from datetime import datetime
from typing import Literal, get_args
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from platform_shared.contracts.admin.models import ConfirmationToken, IsoMoment, Reason, ResponseModel, StrictModel
from platform_shared.contracts.events import MessageLocale, TemplateName, UserId

ResendableStatus = Literal["dead", "cancelled"]
"""The notifier's resendable statuses (domain/resend.RESENDABLE), as the values the API accepts."""


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    dedupe_key: str
    user_id: str
    template: str
    campaign_id: str | None
    run_id: UUID | None
    status: str
    attempts: int
    requested_at: datetime
    received_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None


class NotificationTextOut(NotificationOut):
    text: str | None
    """What it says under its template as it is now (None: no such template); an offer's answer link, made
    at send time and never stored, stays as its placeholder."""


class PauseIn(StrictModel):
    reason: Reason
    paused_until: AwareDatetime | None = None


class SenderStateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    paused: bool
    paused_until: datetime | None
    reason: str | None
    changed_by: str | None
    changed_at: datetime | None


class TemplateIn(StrictModel):
    body: str = Field(min_length=1, max_length=2000)
    reason: Reason


class TemplateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    locale: str = "ko"
    """Korean, or English kept alongside (`PUT /templates/{name}?locale=en`)."""
    body: str
    updated_at: datetime


class TemplatePreviewIn(StrictModel):
    body: str = Field(min_length=1, max_length=2000)
    locale: MessageLocale = "ko"
    params: dict[str, str] | None = Field(default=None, max_length=50)
    """The values to render with (a notice about to be sent, seed §14: shown before it is queued); each
    placeholder not given takes its sample value."""


class TemplatePreviewOut(ResponseModel):
    """A template's body rendered as a send renders it, with sample parameters of its messages (runbook §6.3)."""

    text: str
    params: dict[str, str]
    """The sample parameters it was rendered with: the placeholders this template may use."""


class ResendIn(StrictModel):
    reason: Reason
    statuses: list[ResendableStatus] = Field(default_factory=lambda: list(get_args(ResendableStatus)), min_length=1)
    template: TemplateName | None = None
    campaign_id: str | None = None
    run_id: UUID | None = None
    received_from: AwareDatetime | None = None
    received_to: AwareDatetime | None = None


class StatusCountsOut(ResponseModel):
    """Stored notifications by status (domain/delivery.Status), and `failed`: retrying plus dead."""

    queued: int
    held: int
    sending: int
    sent: int
    retrying: int
    dead: int
    cancelled: int
    failed: int


class FailureReasonOut(ResponseModel):
    reason: str
    count: int


class QuietHoursOut(ResponseModel):
    """The policy's quiet hours (seed §6.2) and whether they hold now, by the notifier's clock."""

    start: str
    end: str
    time_zone: str
    now: bool
    """Inside the window now: what is due waits, held, until `ends_at`."""
    ends_at: datetime | None


class VendorStatusOut(ResponseModel):
    """The messaging vendor as the notifier's last probe found it (runbook §6.3: check the vendor first)."""

    up: bool | None
    """None until the first probe has answered."""
    since: datetime | None
    """When it went up or down (the notifier's clock)."""
    checked_at: datetime | None
    last_problem: str | None
    """Why the last failed probe failed, kept after recovery."""
    probe_failures: int


class DashboardOut(ResponseModel):
    """Seed §6.1: the queue at a glance (the same figures feed `/metrics`)."""

    sending: SenderStateOut
    """First, since a pause explains the rest (runbook §6.3): paused or not, why, by whom, until when."""
    counts: StatusCountsOut
    held_for_quiet_hours: int
    release_backlog: int
    """Held notifications that go out when quiet hours end."""
    top_failure_reasons: list[FailureReasonOut]
    """The five most frequent reasons of attempts that did not send."""
    enqueue_success_rate: float
    """Requests stored, over those stored or dead-lettered at intake (alert below 0.98)."""
    quiet_hours_violations: int
    """Sends made inside quiet hours: must stay 0."""
    quiet_hours: QuietHoursOut
    vendor: VendorStatusOut | None = None
    """The messaging vendor's state (runbook §6.3); None from a notifier that does not probe it."""


class SegmentOut(ResponseModel):
    """A resend's segment as the operator is shown it (domain/resend.Segment.as_params), with the reason."""

    statuses: list[str]
    template: str | None
    campaign_id: str | None
    run_id: UUID | None
    received_from: IsoMoment | None
    received_to: IsoMoment | None
    reason: str


class ResendPreparedOut(ResponseModel):
    """Step one of a manual resend (seed §6.4): how many notifications the segment holds, never a sent one."""

    notifications: int
    segment: SegmentOut
    token: ConfirmationToken
    expires_at: IsoMoment


class ResentOut(ResponseModel):
    requeued: int


class ContactIn(StrictModel):
    user_id: UserId
    email: str = Field(min_length=1, max_length=320)
    """Checked by the notifier (a plain `name@example.com`); never echoed in an answer or an error."""


class ContactsIn(StrictModel):
    """An import into the contact book: every row checked first; a bad row refuses the whole batch."""

    contacts: list[ContactIn] = Field(min_length=1, max_length=10_000)
    source: str = Field(default="import", min_length=1, max_length=50, pattern=r"^[a-z0-9_.-]+$")
    reason: Reason


class ContactsImportedOut(ResponseModel):
    imported: int
    replaced: int
    """Of those, users who had an address already."""


class ContactsSummaryOut(ResponseModel):
    """Counts only: the addresses themselves never leave the notifier."""

    contacts: int
    by_source: dict[str, int]
    updated_at: datetime | None
