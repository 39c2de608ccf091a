"""A sender's claim on due notifications (SPEC §5), pure: which notifications one round took, as the round
needs them, and until when they are its own. The claim's lease end is also its token: a later claim of the same
notifications, by this sender or another, sets a new one, and whatever this claim would still record or put
back is refused."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from platform_shared.contracts.events import TemplateName


class ClaimedRow(NamedTuple):
    """One claimed notification: what rendering and the vendor call need, nothing more (the hot path)."""

    id: int
    dedupe_key: str
    user_id: str
    template: TemplateName
    params: dict[str, str]
    run_id: UUID | None
    locale: str = "ko"
    channel: str = "message"
    """How it goes out (platform_shared.contracts.notices.Channel): the messaging vendor, or e-mail."""


@dataclass(frozen=True)
class Claim:
    rows: Sequence[ClaimedRow]
    lease_until: datetime
    """The claim's `claimed_until`, also its token."""
