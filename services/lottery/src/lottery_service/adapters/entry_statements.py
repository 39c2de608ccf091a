"""An entrant's entry as two prepared statements on the raw driver: everything the decision needs
in one round trip (the draw under the key-share lock an entry takes, the policy snapshot, the entrant's
progress, whether they entered already, when they last won a seat), then the insert. Through
the ORM the same six statements cost about half of the service's CPU per entry (docs/benchmarks.md). SQL
only, on the caller's transaction."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from lottery_service.domain.entrant_entry import Progress
from lottery_service.domain.event_review import EventSettings
from lottery_service.domain.run_lifecycle import RunStatus

_COMPLETED = RunStatus.COMPLETED
_CONTEXT = f"""
SELECT d.status, d.requires_intro, d.requires_adgate, d.weight_cap, d.cooldown_hours, d.algorithm,
       p.intro_seen_at IS NOT NULL AS intro_seen, p.adgate_verified_at IS NOT NULL AS adgate_verified,
       EXISTS (SELECT 1 FROM entries e WHERE e.campaign_id = d.campaign_id AND e.kakao_user_id = $2
               AND e.invalid_reason IS NULL) AS entered,
       CASE WHEN d.cooldown_hours > 0 THEN (  -- without a cooldown no entry looks at past wins
           SELECT max(u.draw_at) FROM draw_results r JOIN draw_runs u ON u.id = r.run_id
           WHERE r.kakao_user_id = $2 AND r.outcome = 'winner' AND u.status = '{_COMPLETED}') END AS last_win_at,
       s.version AS policy_version, s.document::text AS policy_document
FROM draws d
LEFT JOIN entrant_progress p ON p.campaign_id = d.campaign_id AND p.kakao_user_id = $2
LEFT JOIN policy_snapshot s ON s.id = 1
WHERE d.campaign_id = $1
FOR KEY SHARE OF d
"""
"""The draw's row under a key-share lock (the one the entry's foreign key takes anyway): entries in flight
go on side by side, a close (FOR UPDATE) waits for them, and no entry comes in after it. Whether the last
win still counts is the rules' call (domain/entrant_entry.py: in_cooldown), on the service's clock. The run's
status is written into the text from the enum, not bound: the statement stays the one measured."""

_COLUMNS = ("campaign_id", "kakao_user_id", "raw_weight", "weight", "policy_version", "intro_seen",
            "adgate_verified", "adgate_exempt_reason", "suspicious", "source")
_INSERT = (f"INSERT INTO entries ({', '.join(_COLUMNS)}) "
           f"VALUES ({', '.join(f'${n}' for n in range(1, len(_COLUMNS) + 1))}) ON CONFLICT DO NOTHING RETURNING id")
_REFUSAL = "INSERT INTO entry_refusals (campaign_id, kakao_user_id, reason, at) VALUES ($1, $2, $3, $4)"


@dataclass(frozen=True)
class EntryContext:
    status: str
    requires_intro: bool
    requires_adgate: bool
    settings: EventSettings
    algorithm: str | None
    progress: Progress
    entered: bool
    """A valid entry of this entrant exists already."""
    last_win_at: datetime | None
    """When a draw this entrant won a seat in (and that was not rolled back) was held; not looked up for an
    event without a cooldown."""
    policy_version: int | None
    policy_document: str | None


async def entry_context(connection: asyncpg.Connection, campaign_id: str, kakao_user_id: int) -> EntryContext | None:
    """None when there is no such draw."""
    row = await connection.fetchrow(_CONTEXT, campaign_id, kakao_user_id)
    if row is None:
        return None
    return EntryContext(
        status=row["status"], requires_intro=row["requires_intro"], requires_adgate=row["requires_adgate"],
        settings=EventSettings(campaign_id, row["weight_cap"], row["cooldown_hours"], row["requires_adgate"]),
        algorithm=row["algorithm"], progress=Progress(row["intro_seen"], row["adgate_verified"]),
        entered=row["entered"], last_win_at=row["last_win_at"], policy_version=row["policy_version"],
        policy_document=row["policy_document"])


async def insert_entry(connection: asyncpg.Connection, row: dict[str, Any]) -> bool:
    """False when the user already holds an entry in the draw (the unique index decides a race)."""
    return await connection.fetchval(_INSERT, *(row[column] for column in _COLUMNS)) is not None


async def insert_refusal(connection: asyncpg.Connection, campaign_id: str, kakao_user_id: int, reason: str,
                         at: datetime) -> None:
    """A refused entry, kept with its reason (domain/entry_refusals.py)."""
    await connection.execute(_REFUSAL, campaign_id, kakao_user_id, reason, at)
