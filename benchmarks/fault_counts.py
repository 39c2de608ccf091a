"""What the fault suite counts once a faulted draw has settled (benchmarks/faults.py): the system's promises,
read from the services' databases and the vendor stand-in's own record of what it was sent."""

import asyncio
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import httpx

from platform_deploy.infra import Infrastructure
from platform_deploy.services import Fleet

SETTLE_SECONDS = 900
SENT = "SELECT count(*) FROM notifications WHERE run_id = $1 AND status = 'sent'"
DEAD = "SELECT count(*) FROM notifications WHERE run_id = $1 AND status = 'dead'"
OFFERS = "SELECT count(*) FROM offers WHERE run_id = $1"
# Sends the notifier stamped inside 22:00-08:00 KST (attempts are stamped when the vendor answered).
AT_NIGHT = """SELECT count(*) FROM notification_attempts a JOIN notifications n ON n.id = a.notification_id
              WHERE n.run_id = $1 AND a.verdict = 'sent'
              AND ((a.at AT TIME ZONE 'Asia/Seoul')::time >= '22:00'
                   OR (a.at AT TIME ZONE 'Asia/Seoul')::time < '08:00')"""


def plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def _fetch(url: str, query: str, *args: object) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(plain(url))
    try:
        return list(await connection.fetch(query, *args))
    finally:
        await connection.close()


def count(url: str, query: str, *args: object) -> int:
    """-1 while the database is restarting: the caller asks again."""
    try:
        return int(asyncio.run(_fetch(url, query, *args))[0][0] or 0)
    except (OSError, asyncpg.PostgresError):
        return -1


@dataclass(frozen=True)
class Counts:
    offers: int
    distinct_winners: int
    notifications: int
    sent: int
    dead: int
    delivered: int
    accepted_twice: int
    at_night: int
    valid_dead_lettered: int
    dead_notifications: int
    offers_after: float | None
    sent_after: float | None

    def figures(self) -> dict[str, Any]:
        return {"offers stored": self.offers, "distinct winners offered": self.distinct_winners,
                "notifications stored": self.notifications, "sent": self.sent, "dead (vendor refused)": self.dead,
                "vendor: recipients delivered": self.delivered, "vendor: accepted twice": self.accepted_twice,
                "sent inside quiet hours": self.at_night, "valid events dead-lettered": self.valid_dead_lettered,
                "dead notifications (letters)": self.dead_notifications,
                "all offers after (s)": _seconds(self.offers_after), "all sent after (s)": _seconds(self.sent_after)}


def _seconds(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def tally(fleet: Fleet, infra: Infrastructure, run: UUID, seats: int, rejected: int, started: float) -> Counts:
    """Wait until every offer is stored and every notification sent or dead (or SETTLE_SECONDS), then count."""
    waitlist, notifier = infra.database_urls["waitlist"], infra.database_urls["notifier"]
    offers_after = sent_after = None
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline and sent_after is None:
        if offers_after is None and count(waitlist, OFFERS, run) >= seats:
            offers_after = time.monotonic() - started
        if count(notifier, SENT, run) >= seats - rejected and count(notifier, DEAD, run) >= rejected:
            sent_after = time.monotonic() - started
        time.sleep(0.5)
    time.sleep(3)  # a late duplicate would show now
    assert fleet.vendor is not None
    vendor = httpx.get(f"{fleet.vendor.base_url}/_deliveries", timeout=60).json()
    keys = {r["dedupe_key"] for r in asyncio.run(_fetch(
        notifier, "SELECT dedupe_key FROM notifications WHERE run_id = $1", run))}
    letters = {url: asyncio.run(_fetch(url, "SELECT consumer_group FROM dead_letters WHERE payload LIKE $1",
                                       f"%{run}%")) for url in infra.database_urls.values()}
    groups = [letter["consumer_group"] for found in letters.values() for letter in found]
    return Counts(
        offers=count(waitlist, OFFERS, run),
        distinct_winners=count(waitlist, "SELECT count(DISTINCT user_id) FROM offers WHERE run_id = $1", run),
        notifications=count(notifier, "SELECT count(*) FROM notifications WHERE run_id = $1", run),
        sent=count(notifier, SENT, run), dead=count(notifier, DEAD, run),
        delivered=sum(1 for key in vendor["deliveries"] if key in keys),
        accepted_twice=sum(1 for key, n in vendor["accepted"].items() if key in keys and n > 1),
        at_night=count(notifier, AT_NIGHT, run),
        valid_dead_lettered=sum(1 for group in groups if group != "notifier.sender"),
        dead_notifications=sum(1 for group in groups if group == "notifier.sender"),
        offers_after=offers_after, sent_after=sent_after)
