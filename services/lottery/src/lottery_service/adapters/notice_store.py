"""Notices to a segment (seed §1, §14) in SQL: who a segment reaches, the notifications queued for all of them in
one statement (INSERT … SELECT into the outbox: a 200,000-entrant campaign is one round trip, not 200,000), and
the notices sent. In the caller's transaction."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.adapters.notice_models import Notice
from platform_shared.contracts.admin.notices import CampaignSegmentIn, RefusedSegmentIn
from platform_shared.db.engine import rowcount

_CAMPAIGN = "SELECT DISTINCT kakao_user_id AS user_id FROM entries WHERE campaign_id = :campaign_id"
_REFUSED_IN = """
SELECT kakao_user_id AS user_id FROM {table}
WHERE at >= :start AND at < :until
  AND (CAST(:campaign_id AS text) IS NULL OR campaign_id = :campaign_id)
  AND (CAST(:reason AS text) IS NULL OR reason = :reason)"""
_REFUSED = " UNION ".join(_REFUSED_IN.format(table=table) for table in ("entry_refusals", "adgate_failures"))
"""Refused entries and refused sponsor returns (seed §5.3); UNION: each person once."""

_QUEUE = """
WITH recipients AS MATERIALIZED (
    SELECT s.user_id::text AS user_id, c.channel, gen_random_uuid() AS event_id
    FROM ({segment}) s CROSS JOIN unnest(:channels) AS c(channel))
INSERT INTO outbox_messages (topic, key, event_id, event_type, payload)
SELECT :topic, r.user_id, r.event_id, :event_type,
       (CAST(:event AS jsonb) || jsonb_build_object('event_id', r.event_id, 'user_id', r.user_id,
                                                    'channel', r.channel,
                                                    'dedupe_key', :prefix || r.channel || ':' || r.user_id))::text
FROM recipients r"""
"""One outbox row per recipient and channel, shaped as `outbox.enqueue` writes them: the key is the user (a
person's messages keep their order), the payload the event with its own id, user, channel and dedupe key.
MATERIALIZED: each row's event id is drawn once and written to both the column and the payload."""

Segment = CampaignSegmentIn | RefusedSegmentIn


@dataclass(frozen=True)
class Reach:
    recipients: int
    sample: list[str]


def _segment(segment: Segment) -> tuple[str, dict[str, Any]]:
    if isinstance(segment, CampaignSegmentIn):
        return _CAMPAIGN, {"campaign_id": segment.campaign_id}
    return _REFUSED, {"start": segment.start, "until": segment.until, "campaign_id": segment.campaign_id,
                      "reason": segment.reason}


class NoticeStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def reach(self, segment: Segment, sample_size: int) -> Reach:
        """How many people the segment holds, and the first few by user id (one statement)."""
        query, params = _segment(segment)
        rows = (await self._session.execute(text(
            f"SELECT user_id::text, count(*) OVER () AS total FROM ({query}) s ORDER BY s.user_id LIMIT :sample"),
            {**params, "sample": sample_size})).all()
        return Reach(rows[0].total if rows else 0, [row.user_id for row in rows])

    async def queue(self, segment: Segment, channels: Sequence[str], *, topic: str, event_type: str, event: str,
                    dedupe_prefix: str) -> int:
        """One notification per person and channel into the outbox; answers how many rows were written."""
        query, params = _segment(segment)
        statement = text(_QUEUE.format(segment=query)).bindparams(bindparam("channels", type_=ARRAY(String)))
        result = await self._session.execute(statement, {
            **params, "channels": list(channels), "topic": topic, "event_type": event_type, "event": event,
            "prefix": dedupe_prefix})
        return rowcount(result)

    def add(self, notice: Notice) -> None:
        self._session.add(notice)

    async def flush(self) -> None:
        await self._session.flush()

    async def latest(self, limit: int) -> Sequence[Notice]:
        return (await self._session.scalars(select(Notice).order_by(Notice.id.desc()).limit(limit))).all()
