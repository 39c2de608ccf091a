"""What the notifier's operator routes answer where a use case composes the answer (stored rows have their
models beside their routes): the fields the routes have always sent."""

from uuid import UUID

from platform_shared.web.models import ConfirmationToken, IsoMoment, ResponseModel


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


class DashboardOut(ResponseModel):
    """Seed §6.1: the queue at a glance (the same figures feed `/metrics`)."""

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


class SegmentOut(ResponseModel):
    """A resend's segment as its confirmation stores it (domain/resend.Segment.as_params), with the reason."""

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
