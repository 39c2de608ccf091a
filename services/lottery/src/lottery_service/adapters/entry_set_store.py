"""The lottery's storage for a draw's entry set as the draw path reads it (issue 13): every entry with what
eligibility screens on, in one binary COPY (adapters/pg_binary.py), and the decisions frozen at close as
one packed row per draw. SQL only, in the caller's transaction."""

from dataclasses import dataclass

import numpy as np
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.adapters.pg_binary import copy_out, parse_rows
from lottery_service.domain.eligibility import UNDECIDED, EntryColumns
from lottery_service.models import FrozenSet


@dataclass(frozen=True)
class StoredEntries:
    ids: np.ndarray
    frozen: np.ndarray
    """Each entry's decision code frozen at close (UNDECIDED before close)."""
    columns: EntryColumns

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

    async def entries(self, campaign_id: str) -> StoredEntries:
        """Every entry of the draw (in id order) with what eligibility screens on, blacklisting included
        (seed §3.1), and the decision frozen at close if there is one. One binary COPY: a million entries
        arrive as one buffer (adapters/pg_binary.py)."""
        rows = parse_rows(await copy_out(self._session, _ENTRIES_QUERY, campaign_id), _ENTRY_FIELDS)
        rows = rows[np.argsort(rows["id"])]  # ordered here: a million-row ORDER BY spills past work_mem
        flags = rows["flags"].astype(np.int16)
        columns = EntryColumns(
            user_ids=rows["user_id"].astype(np.uint64), weights=rows["weight"].astype(np.float64),
            **{name: (flags & (1 << bit)) != 0 for bit, name in enumerate(_FLAGS)})
        ids = rows["id"].astype(np.int64)
        return StoredEntries(ids=ids, frozen=await self._frozen_decisions(campaign_id, ids), columns=columns)

    async def _frozen_decisions(self, campaign_id: str, ids: np.ndarray) -> np.ndarray:
        """Each entry's frozen decision code; UNDECIDED for an entry the frozen set does not hold."""
        frozen = np.full(len(ids), UNDECIDED, dtype=np.int8)
        stored = await self._session.get(FrozenSet, campaign_id)
        if stored is not None and len(ids):
            frozen_ids = np.frombuffer(stored.entry_ids, dtype="<i8")
            codes = np.frombuffer(stored.decisions, dtype=np.int8)
            at = np.minimum(np.searchsorted(frozen_ids, ids), len(frozen_ids) - 1)
            held = frozen_ids[at] == ids if len(frozen_ids) else np.zeros(len(ids), dtype=bool)
            frozen[held] = codes[at[held]]
        return frozen

    async def freeze(self, campaign_id: str, ids: np.ndarray, decisions: np.ndarray) -> None:
        """Store every entry's decision (ids ascending) as one packed row, replacing an earlier one."""
        values = {"entry_ids": ids.astype("<i8").tobytes(), "decisions": decisions.astype(np.int8).tobytes()}
        statement = insert(FrozenSet).values(campaign_id=campaign_id, **values)
        await self._session.execute(statement.on_conflict_do_update(index_elements=[FrozenSet.campaign_id],
                                                                    set_=values))
