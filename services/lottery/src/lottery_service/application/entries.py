"""Entries and the data corrections around them (SPEC §3, seed §11): intake with preconditions and
AdGate exemption, legacy import, duplicate correction, suspicious flags, blacklist, and the bulk weight
recalculation that needs a second confirmation."""

from dataclasses import asdict, dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.domain.adgate import adgate_exemption
from lottery_service.domain.draw_lifecycle import refuse_after_close, refuse_unless_open_for_entries
from lottery_service.domain.event_review import entry_weight_cap
from lottery_service.domain.intake import NewEntry, entry_rows, refuse_already_entered, refuse_repeated_users
from platform_shared.application.two_step import Acted, Requested, TwoStep
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.contracts.admin.lottery import DuplicatesCorrectedOut
from platform_shared.errors import ConflictError
from platform_shared.messaging.policy_cache import current_policy
from platform_shared.time.clock import Clock, to_kst


@dataclass(frozen=True)
class Recalculation:
    """What a weight recalculation was prepared against: confirming it under another policy is refused."""

    policy_version: int
    weight_cap: float
    reason: str


RECALCULATE = TwoStep("entries.recalculate_weights", Recalculation)


class EntryService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
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

    async def correct_duplicates(self, campaign_id: str, actor: str, reason: str) -> DuplicatesCorrectedOut:
        """Keep each user's earliest valid entry; mark the others invalid; return the re-counted totals."""
        async with self._units.begin() as uow:
            store = DrawStore(uow.session)
            draw = await store.lock(campaign_id)
            refuse_after_close(campaign_id, draw.status, "a duplicate correction")
            before = await store.valid_entry_counts(campaign_id)
            invalidated = await store.invalidate_duplicates(campaign_id, reason)
            after = await store.valid_entry_counts(campaign_id)
            report = DuplicatesCorrectedOut(invalidated=invalidated, valid_entries_before=before[0],
                                            valid_entries_after=after[0], distinct_users=after[1])
            await uow.audit(actor=actor, action="entries.correct_duplicates",
                            target=f"draw:{campaign_id}", reason=reason, before={"valid": before[0]},
                            after=report.model_dump())
        return report

    async def flag_suspicious(self, campaign_id: str, kakao_user_id: int, suspicious: bool, actor: str,
                              reason: str) -> None:
        async with self._units.begin() as uow:
            store = DrawStore(uow.session)
            draw = await store.share_lock(campaign_id)  # a close waits for this flag, or the flag sees it
            refuse_after_close(campaign_id, draw.status, "a suspicious flag")
            await store.set_suspicious(campaign_id, kakao_user_id, suspicious)
            await uow.audit(actor=actor, action="entries.flag_suspicious", target=f"draw:{campaign_id}", reason=reason,
                            after={"kakao_user_id": kakao_user_id, "suspicious": suspicious})

    async def blacklist(self, kakao_user_id: int, reason: str, actor: str) -> None:
        async with self._units.begin() as uow:
            await DrawStore(uow.session).blacklist(kakao_user_id, reason, actor)
            await uow.audit(actor=actor, action="blacklist.add", target=f"user:{kakao_user_id}", reason=reason)

    async def unblacklist(self, kakao_user_id: int, reason: str, actor: str) -> None:
        async with self._units.begin() as uow:
            listed = await DrawStore(uow.session).unblacklist(kakao_user_id)
            await uow.audit(actor=actor, action="blacklist.remove", target=f"user:{kakao_user_id}", reason=reason,
                            before={"reason": listed.reason, "added_by": listed.added_by})

    async def prepare_weight_recalculation(self, campaign_id: str, actor: str, reason: str) -> dict[str, object]:
        """Step one: how many entries the current policy's cap would change; nothing changes yet."""
        async with self._units.begin() as uow:
            store = DrawStore(uow.session)
            draw = await store.get(campaign_id)
            refuse_after_close(campaign_id, draw.status, "a weight recalculation")
            policy_version, policy = await current_policy(uow.session)
            cap = entry_weight_cap(draw.settings, policy)
            changed = await store.count_weights_off_cap(campaign_id, cap)
            summary = {"entries_changing": changed, "policy_version": policy_version, "weight_cap": cap,
                       "reason": reason}
            return await RECALCULATE.request(uow, target=campaign_id, params=Recalculation(policy_version, cap, reason),
                                             shown=summary, actor=actor)

    async def confirm_weight_recalculation(self, campaign_id: str, token: str, actor: str) -> dict[str, object]:
        async with self._units.begin() as uow:

            async def recalculate(request: Requested[Recalculation]) -> Acted:
                store = DrawStore(uow.session)
                draw = await store.lock(campaign_id)
                refuse_after_close(campaign_id, draw.status, "a weight recalculation")
                policy_version, policy = await current_policy(uow.session)
                if policy_version != request.params.policy_version:
                    raise ConflictError("the policy changed since this recalculation was prepared; prepare again",
                                        field="token")
                changed = await store.cap_weights(campaign_id, entry_weight_cap(draw.settings, policy), policy_version)
                return Acted(outcome={"entries_changed": changed, "policy_version": policy_version},
                             audit_target=f"draw:{campaign_id}", reason=request.params.reason,
                             params=asdict(request.params))

            confirmed = await RECALCULATE.confirm(uow, target=campaign_id, token=token, actor=actor, act=recalculate)
        return confirmed.outcome
