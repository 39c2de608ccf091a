"""Closing a draw's entries (seed §3.1, §3.3): entries stop, every entry's decision and weight is frozen, and
the hash of that frozen set is published together with the commitment SHA256(seed) that the revealed seed
must match. Closing a draw under correction (reopen_draw.py) fixes the corrected set and only then draws the
salt of its new seed."""

import secrets
from collections import Counter

from lottery_service.adapters.models import Draw
from lottery_service.application.draw_snapshot import draw_snapshot
from lottery_service.application.ports import DrawStores
from lottery_service.application.seeds import SeedSource
from lottery_service.domain import draw_engine
from lottery_service.domain.draw_lifecycle import DrawStatus, DrawStep, next_status
from lottery_service.domain.eligibility import Requirements, decide, decision_names, screen
from lottery_service.domain.frozen_set import FrozenEntries, decision_changes, frozen_set_hash
from platform_shared.application.unit_of_work import Units


class CloseEntries:
    def __init__(self, units: Units[DrawStores], seeds: SeedSource) -> None:
        self._units = units
        self._seeds = seeds

    async def close_entries(self, campaign_id: str, actor: str) -> Draw:
        """Stop entries, freeze every entry's decision and weight and publish, together, the hash
        of that frozen set and the commitment SHA256(seed) that the revealed seed must match. Refused while
        a user holds two valid entries (legacy import): correct the duplicates first."""
        async with self._units.begin() as uow:
            stores = uow.stores
            draw = await stores.draws.lock(campaign_id)
            status = next_status(campaign_id, draw.status, DrawStep.CLOSE_ENTRIES)
            before = draw_snapshot(draw)
            stored = await stores.entry_sets.entries(campaign_id, draw.frozen_set_id)
            requirements = Requirements(draw.requires_intro, draw.requires_adgate)
            decisions = decide(stored.columns, requirements)
            screen(stored.columns, requirements, decisions)  # refuses a user holding two valid entries
            if draw.status == DrawStatus.CORRECTING:  # the corrected set is fixed now: only now the new salt
                reopening = await stores.reopenings.under_way(campaign_id)
                assert reopening is not None, "a correcting draw has its reopen under way"
                draw.seed_salt = secrets.token_hex(32)
                reopening.changes = decision_changes(stored.columns.user_ids, stored.frozen, decisions)
                reopening.new_commitment = draw_engine.commitment(self._seeds.seed_for(draw))
            seed, algorithm = self._seeds.seed_for(draw), draw_engine.CURRENT
            users, weights = stored.columns.user_ids, stored.columns.weights
            ids = self._seeds.draw_ids(campaign_id, users, algorithm)
            frozen = FrozenEntries(users, decisions, weights, frozen_set_hash(seed, algorithm, ids, decisions, weights),
                                   draw_ids=ids)
            draw.frozen_set_id = await stores.frozen_sets.add(campaign_id, algorithm.name, stored.ids, frozen)
            draw.status, draw.algorithm = status, algorithm.name
            draw.commitment, draw.frozen_set_hash = draw_engine.commitment(seed), frozen.set_hash
            counts = dict(Counter(decision_names(decisions)))
            await uow.audit(actor=actor, action="draw.close_entries", target=f"draw:{campaign_id}", before=before,
                            after={**draw_snapshot(draw), "decisions": counts})
        return draw
