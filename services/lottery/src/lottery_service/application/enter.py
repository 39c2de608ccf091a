"""An entrant enters (SPEC §9, seed §3.1, §5): once per campaign, logged in; the server decides the weight from
the policy in force and checks the preconditions it recorded (the intro read: campaign_pages.py; the sponsor
visit: verify_sponsor_return.py). The entrant reads their own entry back with their bundle pseudonym."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.entrant_store import EntrantStore
from lottery_service.adapters.entry_statements import entry_context, insert_entry, insert_refusal
from lottery_service.adapters.models import Entry
from lottery_service.application.seeds import SeedSource
from lottery_service.domain.adgate import adgate_exemption
from lottery_service.domain.draw_engine import algorithm_named
from lottery_service.domain.entrant_entry import entrant_weight, in_cooldown
from lottery_service.domain.entry_refusals import EntryRefusal, entry_refusal
from lottery_service.domain.event_review import entry_weight_cap
from lottery_service.domain.intake import NewEntry, entry_rows
from platform_shared.db.engine import driver_transaction
from platform_shared.errors import ConflictError, NotFoundError
from platform_shared.messaging.policy_cache import policy_of
from platform_shared.time.clock import Clock, to_kst

SOURCE = "kakao"
"""Entries an entrant made themselves (the admin bulk import is `api`, old imports `legacy`)."""


class Enter:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, seeds: SeedSource) -> None:
        self._sessions = sessions
        self._clock = clock
        self._seeds = seeds

    async def enter(self, campaign_id: str, kakao_user_id: int) -> dict[str, Any]:
        """One entry per (campaign, kakaoUserId); a second is 409 and changes nothing. The entrant edge's hot
        path: two prepared statements on the raw driver, in one transaction of its own
        (adapters/entry_statements.py), around the same rules as everywhere else. A refusal (draw not open,
        intro or sponsor visit missing) is kept with its reason in a second short transaction (one insert),
        so a notice can reach whoever was refused during an incident (seed §1, §14); the entry changed
        nothing."""
        now = self._clock.now()
        async with self._sessions() as session:
            async with driver_transaction(session) as connection:
                context = await entry_context(connection, campaign_id, kakao_user_id)
                if context is None:
                    raise NotFoundError(f"no draw {campaign_id!r}", field="campaign_id")
                policy_version, policy = policy_of(context.policy_version, context.policy_document)
                exemption = adgate_exemption(policy, campaign_id, to_kst(now).date())
                refused = entry_refusal(campaign_id, status=context.status, requires_intro=context.requires_intro,
                                        requires_adgate=context.requires_adgate, progress=context.progress,
                                        adgate_exemption=exemption)
                if context.entered and (refused is None or refused.reason != EntryRefusal.NOT_OPEN):
                    raise ConflictError("you already entered this campaign", field="campaign_id")
                if refused is None:
                    cooling_down = in_cooldown(context.last_win_at, context.settings.cooldown_hours, now)
                    weight = entrant_weight(policy.weight_rule, context.progress,
                                            cap=entry_weight_cap(context.settings, policy), in_cooldown=cooling_down)
                    [row] = entry_rows(campaign_id, [NewEntry(kakao_user_id, weight.raw, context.progress.intro_seen,
                                                              context.progress.adgate_verified)],
                                       source=SOURCE, policy_version=policy_version, weight_cap=weight.cap,
                                       exempt_reason=exemption)
                    if not await insert_entry(connection, row):
                        raise ConflictError("you already entered this campaign", field="campaign_id")
            if refused is not None:
                async with driver_transaction(session) as connection:
                    await insert_refusal(connection, campaign_id, kakao_user_id, refused.reason, now)
                raise refused.error
        return {**row, "pseudonym": self._seeds.pseudonym_in(campaign_id, algorithm_named(context.algorithm),
                                                             kakao_user_id)}

    async def entry_of(self, campaign_id: str, kakao_user_id: int) -> tuple[Entry, str | None] | None:
        """The entrant's entry with their pseudonym in the draw's public bundle, or None."""
        async with self._sessions() as session:
            entry = await EntrantStore(session).entry_of(campaign_id, kakao_user_id)
            draw = await DrawStore(session).get(campaign_id) if entry is not None else None
        return None if entry is None or draw is None else (entry, self._seeds.pseudonym(draw, kakao_user_id))
