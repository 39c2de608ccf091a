"""Closing a draw's entries (seed §3.1, §3.3): entries stop, every entry's decision and weight is frozen, and
everything the result depends on is committed in public before any key can be known (docs/draw-algorithm.md
§8.3): the seed's hash, the frozen set's hash, seats, waitlist size, weight cap and a beacon round that does
not exist yet, as an entry of the public commitment log. Closing a draw under correction (reopen_draw.py)
that changed nothing keeps the commitment, the round and so every key; a real change commits anew, to a
later round."""

from collections import Counter
from typing import Any

import numpy as np

from lottery_service.adapters.entry_set_store import StoredEntries
from lottery_service.adapters.models import Draw, DrawReopening
from lottery_service.application.draw_snapshot import draw_snapshot
from lottery_service.application.ports import DrawStores
from lottery_service.application.seeds import SeedSource
from lottery_service.domain import draw_engine
from lottery_service.domain.beacon import BeaconChain
from lottery_service.domain.commitments import Kind, commitment_of, committed_record
from lottery_service.domain.draw_lifecycle import DrawStatus, DrawStep, next_status
from lottery_service.domain.eligibility import Requirements, decide, decision_names, screen
from lottery_service.domain.event_review import entry_weight_cap
from lottery_service.domain.frozen_set import FrozenEntries, corrections, decision_changes, frozen_set_hash
from lottery_service.domain.kst import kst_iso
from platform_shared.application.unit_of_work import UnitOfWork, Units


class CloseEntries:
    def __init__(self, units: Units[DrawStores], seeds: SeedSource, beacon: BeaconChain) -> None:
        self._units = units
        self._seeds = seeds
        self._beacon = beacon

    async def close_entries(self, campaign_id: str, actor: str) -> Draw:
        """Stop entries, freeze every entry's decision and weight and commit, in public, to the result's every
        input. Refused while a user holds two valid entries (legacy import): correct the duplicates first."""
        async with self._units.begin() as uow:
            stores = uow.stores
            draw = await stores.draws.lock(campaign_id)
            status = next_status(campaign_id, draw.status, DrawStep.CLOSE_ENTRIES)
            before = draw_snapshot(draw)
            stored = await stores.entry_sets.entries(campaign_id, draw.frozen_set_id)
            requirements = Requirements(draw.requires_intro, draw.requires_adgate)
            decisions = decide(stored.columns, requirements)
            screen(stored.columns, requirements, decisions)  # refuses a user holding two valid entries
            reopening = await stores.reopenings.under_way(campaign_id) if draw.status == DrawStatus.CORRECTING else None
            if reopening is not None:
                reopening.changes = decision_changes(stored.columns.user_ids, stored.frozen, decisions,
                                                     _frozen_weights(stored), stored.columns.weights)
            if reopening is not None and draw.committed is not None and _unchanged(draw, stored, decisions):
                await self._keep_commitment(uow, draw, reopening)  # "no change": the same round, every key stays
            else:
                await self._commit(uow, draw, stored, decisions, reopening)
            draw.status = status
            counts = dict(Counter(decision_names(decisions)))
            await uow.audit(actor=actor, action="draw.close_entries", target=f"draw:{campaign_id}", before=before,
                            after={**draw_snapshot(draw), "decisions": counts})
        return draw

    async def _keep_commitment(self, uow: UnitOfWork[DrawStores], draw: Draw, reopening: DrawReopening) -> None:
        reopening.changed, reopening.new_commitment = False, draw.commitment
        await uow.stores.log.append(draw.campaign_id, uow.now, Kind.RECLOSED, {
            "reopening": reopening.number, "changed": False, "from_frozen_set_hash": draw.frozen_set_hash,
            "changes": [], "commitment": draw.commitment, "committed": draw.committed})

    async def _commit(self, uow: UnitOfWork[DrawStores], draw: Draw, stored: StoredEntries, decisions: np.ndarray,
                      reopening: DrawReopening | None) -> None:
        """Freeze the set and commit to it, to the counts and to the first beacon round after now."""
        stores, campaign_id, algorithm = uow.stores, draw.campaign_id, draw_engine.CURRENT
        draw.seed_salt = None  # the seed is the runbook's again: from LOTTERY4 the beacon round moves instead
        seed = self._seeds.seed_for(draw)
        users, weights = stored.columns.user_ids, stored.columns.weights
        ids = self._seeds.draw_ids(campaign_id, users, algorithm)
        frozen = FrozenEntries(users, decisions, weights, frozen_set_hash(seed, algorithm, ids, decisions, weights),
                               draw_ids=ids)
        previous_hash, previously_committed = draw.frozen_set_hash, draw.committed is not None
        draw.frozen_set_id = await stores.frozen_sets.add(campaign_id, algorithm.name, stored.ids, frozen)
        draw.algorithm, draw.frozen_set_hash = algorithm.name, frozen.set_hash
        if not algorithm.beacon:  # an algorithm before LOTTERY4 (tests of old data): SHA-256(seed), no log
            draw.committed, draw.commitment = None, draw_engine.commitment(seed)
            if reopening is not None:
                reopening.changed, reopening.new_commitment = True, draw.commitment
            return
        _, policy = await stores.policy.current()
        draw.committed = committed_record(
            algorithm=algorithm.name, beacon={**self._beacon.as_committed(),
                                              "round": self._beacon.committed_round(uow.now)},
            campaign_id=campaign_id, draw_at_kst=kst_iso(draw.draw_at), frozen_set_hash=frozen.set_hash,
            seats=draw.seats, seed=seed, waitlist_size=draw.waitlist_size,
            weight_cap=entry_weight_cap(draw.settings, policy))
        draw.commitment = commitment_of(draw.committed)
        committed: dict[str, Any] = {"commitment": draw.commitment, "committed": draw.committed}
        if reopening is None or not previously_committed:  # the campaign's first entry in the log
            await stores.log.append(campaign_id, uow.now, Kind.CLOSED, committed)
        else:
            await stores.log.append(campaign_id, uow.now, Kind.RECLOSED, {
                "reopening": reopening.number, "changed": True, "from_frozen_set_hash": previous_hash,
                "changes": corrections(ids, stored.frozen, _frozen_weights(stored), decisions, weights), **committed})
        if reopening is not None:
            reopening.changed, reopening.new_commitment = True, draw.commitment


def _frozen_weights(stored: StoredEntries) -> np.ndarray:
    return stored.frozen_weights if stored.frozen_weights is not None else np.full(len(stored.ids), np.nan)


def _unchanged(draw: Draw, stored: StoredEntries, decisions: np.ndarray) -> bool:
    """The corrected set is the committed one: every entry decided before, with the same decision and weight,
    under the same algorithm (seed §3.5: a reopen that changed nothing must not re-roll)."""
    return (draw.algorithm == draw_engine.CURRENT.name and bool(stored.decided.all())
            and np.array_equal(stored.frozen, decisions)
            and np.array_equal(_frozen_weights(stored), stored.columns.weights))
