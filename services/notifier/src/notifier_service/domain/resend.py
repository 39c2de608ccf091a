"""Which notifications a manual resend covers (runbook §6.4), pure. Sent ones never are, whatever the
operator asks: their dedupe key was delivered. Nor are a rolled-back draw's (runbook §3.5): the store
leaves out every notification of a cancelled run."""

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from notifier_service.domain.delivery import Status

RESENDABLE = (Status.DEAD, Status.CANCELLED)


@dataclass(frozen=True)
class Segment:
    """Which notifications a resend covers: the given statuses, narrowed by whichever filters are set."""

    statuses: tuple[str, ...] = RESENDABLE
    template: str | None = None
    campaign_id: str | None = None
    run_id: str | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None

    @property
    def covered_statuses(self) -> tuple[str, ...]:
        """The statuses asked for, never `sent`."""
        return tuple(status for status in self.statuses if status != Status.SENT)

    def as_params(self) -> dict[str, Any]:
        """As the operator is shown it and the audit keeps it."""
        return {"statuses": list(self.statuses), "template": self.template, "campaign_id": self.campaign_id,
                "run_id": self.run_id,
                "received_from": self.received_from.isoformat() if self.received_from else None,
                "received_to": self.received_to.isoformat() if self.received_to else None}



@dataclass(frozen=True, kw_only=True)
class Resend(Segment):
    """A resend as its first step fixed it: the second resends exactly the segment the first counted. Kept
    flat with its confirmation, the segment's fields beside the reason, as it always was."""

    reason: str

    @classmethod
    def of(cls, segment: Segment, reason: str) -> "Resend":
        return cls(**{field.name: getattr(segment, field.name) for field in fields(Segment)}, reason=reason)
