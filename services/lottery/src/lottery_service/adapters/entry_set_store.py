"""The lottery's storage for a draw's entries as the close and the dry run screen them: every entry
with what eligibility screens on, in one binary COPY (adapters/pg_binary.py), and the decisions frozen at the latest
close (adapters/frozen_set_store.py). SQL only, in the caller's transaction."""

from dataclasses import dataclass
from uuid import UUID

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.adapters.frozen_set_store import FrozenSetStore
from lottery_service.adapters.pg_binary import copy_out, parse_rows
from lottery_service.domain.eligibility import UNDECIDED, EntryColumns


@dataclass(frozen=True)
class StoredEntries:
    ids: np.ndarray
    frozen: np.ndarray
    """Each entry's decision code frozen at close (UNDECIDED before close)."""
    columns: EntryColumns
    frozen_weights: np.ndarray | None = None
    """Each entry's weight as frozen at close (NaN where the set holds no decision; None before close)."""

    @property
    def decided(self) -> np.ndarray:
        """Which entries carry a frozen decision."""
        decided: np.ndarray = self.frozen != UNDECIDED
        return decided


_FLAGS = ("intro_seen", "adgate_verified", "adgate_exempt", "suspicious", "invalid", "blacklisted")
_FLAG_SQL = ("e.intro_seen", "e.adgate_verified", "e.adgate_exempt_reason IS NOT NULL", "e.suspicious",
             "e.invalid_reason IS NOT NULL", "b.kakao_user_id IS NOT NULL")
# The six flags travel as one smallint bit set: a million rows of separate booleans cost a third more bytes.
_ENTRIES_QUERY = (
    "SELECT e.id, e.kakao_user_id, e.weight, CAST("
    + " | ".join(f"(CAST({flag} AS int) << {bit})" for bit, flag in enumerate(_FLAG_SQL))
    + " AS smallint) FROM entries e LEFT JOIN blacklist b ON b.kakao_user_id = e.kakao_user_id "
    "WHERE e.campaign_id = $1")
_ENTRY_FIELDS = [("id", ">i8"), ("user_id", ">i8"), ("weight", ">f8"), ("flags", ">i2")]


class EntrySetStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def entries(self, campaign_id: str, frozen_set_id: UUID | None) -> StoredEntries:
        """Every entry of the draw (in id order) with what eligibility screens on, blacklisting included
        (seed §3.1), and the decision frozen at the latest close if there is one. One binary COPY: a million
        entries arrive as one buffer (adapters/pg_binary.py)."""
        rows = parse_rows(await copy_out(self._session, _ENTRIES_QUERY, campaign_id), _ENTRY_FIELDS)
        rows = rows[np.argsort(rows["id"])]  # ordered here: a million-row ORDER BY spills past work_mem
        flags = rows["flags"].astype(np.int16)
        columns = EntryColumns(
            user_ids=rows["user_id"].astype(np.uint64), weights=rows["weight"].astype(np.float64),
            **{name: (flags & (1 << bit)) != 0 for bit, name in enumerate(_FLAGS)})
        ids = rows["id"].astype(np.int64)
        frozen, weights = await self._frozen_decisions(frozen_set_id, ids)
        return StoredEntries(ids=ids, frozen=frozen, columns=columns, frozen_weights=weights)

    async def _frozen_decisions(self, frozen_set_id: UUID | None, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each entry's frozen decision code and weight; UNDECIDED (and NaN) for an entry the set does not hold."""
        frozen = np.full(len(ids), UNDECIDED, dtype=np.int8)
        weights = np.full(len(ids), np.nan)
        if frozen_set_id is not None and len(ids):
            frozen_ids, codes, frozen_weights = await FrozenSetStore(self._session).decisions_by_entry(frozen_set_id)
            at = np.minimum(np.searchsorted(frozen_ids, ids), len(frozen_ids) - 1)
            held = frozen_ids[at] == ids if len(frozen_ids) else np.zeros(len(ids), dtype=bool)
            frozen[held], weights[held] = codes[at[held]], frozen_weights[at[held]]
        return frozen, weights
