"""The admin's bulk import of entries (SPEC §3) and the legacy import (seed §11.1): with the preconditions and
the AdGate exemption in force, audited. Entrants enter themselves (enter.py)."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.domain.adgate import adgate_exemption
from lottery_service.domain.draw_lifecycle import refuse_unless_open_for_entries
from lottery_service.domain.event_review import entry_weight_cap
from lottery_service.domain.intake import NewEntry, entry_rows, refuse_already_entered, refuse_repeated_users
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.messaging.policy_cache import current_policy
from platform_shared.time.clock import Clock, to_kst


class ImportEntries:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._units = UnitsOfWork(sessions, clock)

    async def add_entries(self, campaign_id: str, entries: list[NewEntry], actor: str) -> int:
        """The admin bulk import (audited). All or nothing: one user already entered refuses the whole batch."""
        return await self._insert(campaign_id, entries, source="api", actor=actor)

    async def import_legacy_entries(self, campaign_id: str, entries: list[NewEntry], actor: str) -> int:
        """Entries from before the uniqueness rule, duplicates and all; correct them afterwards."""
        return await self._insert(campaign_id, entries, source="legacy", actor=actor)

    async def _insert(self, campaign_id: str, entries: list[NewEntry], *, source: str, actor: str) -> int:
        user_ids = [entry.kakao_user_id for entry in entries]
        if source == "api":
            refuse_repeated_users(user_ids)
        async with self._units.begin() as uow:
            store = DrawStore(uow.session)
            draw = await store.lock(campaign_id)
            refuse_unless_open_for_entries(campaign_id, draw.status)
            if source == "api":
                refuse_already_entered(await store.entered(campaign_id, user_ids))
            policy_version, policy = await current_policy(uow.session)
            exempt_reason = adgate_exemption(policy, campaign_id, to_kst(uow.now).date())
            await store.add_entries(entry_rows(campaign_id, entries, source=source, policy_version=policy_version,
                                               weight_cap=entry_weight_cap(draw.settings, policy),
                                               exempt_reason=exempt_reason))
            action = "entries.import_legacy" if source == "legacy" else "entries.import"
            await uow.audit(actor=actor, action=action, target=f"draw:{campaign_id}", params={"entries": len(entries)})
        return len(entries)
