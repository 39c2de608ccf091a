"""The AdGate emergency stop's impact report (seed §5.4 "after switching back: how many entries went in
without a sponsor visit, where, and when"): exempt entries per campaign and exemption, as JSON or CSV."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.domain.spreadsheet_cells import inert


@dataclass(frozen=True)
class ExemptionRow:
    campaign_id: str
    exemption: str
    entries: int
    first_entry_at: datetime
    last_entry_at: datetime


class AdGateReport:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def exemptions(self, campaign_id: str | None = None) -> list[ExemptionRow]:
        async with self._sessions() as session:
            rows = await DrawStore(session).exemptions(campaign_id)
        return [ExemptionRow(campaign, reason, int(count), first, last)
                for campaign, reason, count, first, last in rows]


def as_csv(rows: list[ExemptionRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["campaign_id", "exemption", "entries", "first_entry_at", "last_entry_at"])
    for row in rows:
        writer.writerow([inert(row.campaign_id), inert(row.exemption), row.entries, row.first_entry_at.isoformat(),
                         row.last_entry_at.isoformat()])
    return out.getvalue()
