"""A notice to a segment of users (seed §1 `INCIDENT_NOTICE`, §14 templates), in two steps: prepare checks the
request (the template's parameters, the segment) and shows who it reaches, per channel, with a few of them and a
token; confirm queues one `notification_requested` per person per channel through the outbox, in the
confirming transaction, in one statement, stores the notice and audits it. Each notification's dedupe key
comes from the notice's key, so the same notice asked twice is queued once per person at the notifier. Quiet
hours are the notifier's (seed §6.2): a notice is queued like any notification."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.notice_models import Notice
from lottery_service.adapters.notice_store import NoticeStore
from lottery_service.domain.entry_refusals import REFUSAL_REASONS
from lottery_service.domain.notices import dedupe_prefix, notice_key, refuse_empty, refuse_incomplete
from platform_shared.application.two_step import Acted, Requested, TwoStep
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.contracts import topics
from platform_shared.contracts.admin.notices import SAMPLE_SIZE, CampaignSegmentIn, NoticeIn
from platform_shared.contracts.events import NotificationRequested
from platform_shared.time.clock import Clock

SEND = TwoStep("notices.send", NoticeIn)
"""The command: the whole request, bound to the token the confirmation must bring."""
TARGET = "notices"


class SendNotice:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._units = UnitsOfWork(sessions, clock, NoticeStore)

    async def prepare(self, notice: NoticeIn, actor: str) -> dict[str, Any]:
        """Step one: the request checked, how many people it reaches per channel, a sample, the token."""
        refuse_incomplete(notice, REFUSAL_REASONS)
        async with self._units.begin() as uow:
            reach = await uow.stores.reach(notice.segment, SAMPLE_SIZE)
            refuse_empty(reach.recipients, notice)
            key = notice_key(notice)
            shown = {**notice.model_dump(mode="json", by_alias=True), "recipients": reach.recipients,
                     "per_channel": dict.fromkeys(notice.channels, reach.recipients), "sample": reach.sample,
                     "notice_key": key}
            return await SEND.request(uow, target=TARGET, params=notice, shown=shown, actor=actor)

    async def confirm(self, token: str, actor: str) -> dict[str, Any]:
        """Step two: every person of the segment, now, told once per channel (through the outbox)."""
        async with self._units.begin() as uow:

            async def send(request: Requested[NoticeIn]) -> Acted:
                notice = request.params
                key = notice_key(notice)
                event = NotificationRequested(
                    occurred_at=uow.now, user_id="-", dedupe_key="-", template=notice.template,
                    params=notice.params, locale=notice.locale,
                    campaign_id=notice.segment.campaign_id if isinstance(notice.segment, CampaignSegmentIn) else None)
                queued = await uow.stores.queue(notice.segment, notice.channels, topic=topics.NOTIFICATION_REQUESTED,
                                                event_type=type(event).__name__, event=event.model_dump_json(),
                                                dedupe_prefix=dedupe_prefix(key))
                recipients = queued // len(notice.channels)
                refuse_empty(recipients, notice)
                stored = Notice(notice_key=key, template=notice.template, params=notice.params,
                                segment=notice.segment.model_dump(mode="json", by_alias=True),
                                channels=list(notice.channels), incident_id=notice.incident_id,
                                locale=notice.locale, recipients=recipients, sent_by=actor, sent_at=uow.now)
                uow.stores.add(stored)
                await uow.stores.flush()
                outcome = {"notice_id": stored.id, "notice_key": key, "recipients": recipients,
                           "per_channel": dict.fromkeys(notice.channels, recipients)}
                return Acted(outcome=outcome, audit_target=f"notice:{key}", reason=notice.template,
                             params=notice.model_dump(mode="json", by_alias=True))

            confirmed = await SEND.confirm(uow, target=TARGET, token=token, actor=actor, act=send)
        return confirmed.outcome

    async def notices(self, limit: int) -> Sequence[Notice]:
        """The notices sent, newest first."""
        async with self._units.begin() as uow:
            return await uow.stores.latest(limit)
