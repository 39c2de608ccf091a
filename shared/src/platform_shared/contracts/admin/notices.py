"""Notices to a segment of users (seed §1 `INCIDENT_NOTICE`, §14): what `POST /notices/prepare` takes and what the
notice routes answer (the lottery's: it knows who entered and who was refused). Unknown fields are refused."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, ConfigDict, Field

from platform_shared.contracts.admin.models import ConfirmationToken, IsoMoment, ResponseModel, StrictModel
from platform_shared.contracts.events import MessageLocale
from platform_shared.contracts.notices import Channel
from platform_shared.contracts.policy import CAMPAIGN_ID_PATTERN

NoticeTemplate = Literal["INCIDENT_NOTICE", "DRAW_ROLLBACK_NOTICE"]
"""The notices an operator sends to a segment (the others are the draw's own messages)."""

CampaignId = Annotated[str, Field(min_length=1, max_length=100, pattern=CAMPAIGN_ID_PATTERN)]
NoticeParam = Annotated[str, Field(min_length=1, max_length=500, pattern=r"^[^\x00]*$")]
SAMPLE_SIZE = 5
"""How many recipients a prepared notice shows (a sample, not the list)."""


class CampaignSegmentIn(StrictModel):
    """Every entrant of a campaign."""

    kind: Literal["campaign"]
    campaign_id: CampaignId


class RefusedSegmentIn(StrictModel):
    """Everyone refused during [from, until): an entry refused (draw not open, intro or sponsor visit missing) or
    a sponsor return refused (AdGate verification, seed §5.3); optionally of one campaign, for one reason."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    kind: Literal["refused"]
    start: AwareDatetime = Field(alias="from")
    until: AwareDatetime
    campaign_id: CampaignId | None = None
    reason: str | None = Field(default=None, min_length=1, max_length=40)


Segment = CampaignSegmentIn | RefusedSegmentIn
"""Told apart by `kind` (each side takes only its own)."""


class NoticeIn(StrictModel):
    template: NoticeTemplate
    segment: Segment
    params: dict[str, NoticeParam] = Field(max_length=20)
    """Exactly the template's parameters (contracts/notices.py NOTICE_PARAMS), as people will read them."""
    channels: list[Channel] = Field(min_length=1, max_length=2)
    incident_id: str | None = Field(default=None, min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    locale: MessageLocale | None = None
    """The language of the text; None: Korean."""


class NoticePreparedOut(ResponseModel):
    """Step one: who the notice will reach, per channel, and the token that sends exactly that."""

    template: NoticeTemplate
    segment: Segment
    params: dict[str, str]
    channels: list[Channel]
    incident_id: str | None
    locale: MessageLocale | None
    recipients: int
    """People in the segment now (each is told once per channel)."""
    per_channel: dict[str, int]
    sample: list[str]
    """A few of the recipients' user ids."""
    notice_key: str
    """Names this notice: the same template, parameters, segment and incident give the same key, so a notice
    asked twice is queued once per person and channel (the notifier's dedupe key)."""
    token: ConfirmationToken
    expires_at: IsoMoment


class NoticeSentOut(ResponseModel):
    """Step two: the notifications queued through the outbox, one per recipient and channel."""

    notice_id: int
    notice_key: str
    recipients: int
    per_channel: dict[str, int]


class NoticeOut(ResponseModel):
    """A notice as stored: who sent it, when, what, to whom."""

    model_config = ConfigDict(from_attributes=True, use_attribute_docstrings=True)

    id: int
    notice_key: str
    template: str
    params: dict[str, str]
    segment: dict[str, object]
    channels: list[str]
    incident_id: str | None
    locale: str | None
    recipients: int
    sent_by: str
    sent_at: datetime
