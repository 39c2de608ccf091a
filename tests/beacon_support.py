"""A beacon for use cases driven directly (no fleet, no HTTP): the committed round of each draw with a
randomness derived from its number, unsigned. The real path — the stand-in's signed rounds fetched and
verified over HTTP — is what the fleet's tests exercise; here the draw's arithmetic needs only a value."""

import hashlib
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.domain.beacon import BeaconChain, BeaconRound

TEST_CHAIN = BeaconChain(url="http://127.0.0.1:9", chain_hash="ab" * 32, public_key="cd" * 96, period=1,
                         genesis_time=1_767_225_600)  # 2026-01-01T00:00:00Z


def unsigned_round(number: int) -> BeaconRound:
    return BeaconRound(number, hashlib.sha256(f"test round {number}".encode()).hexdigest(), "00" * 48)


class RecordedRounds:
    """`BeaconRounds` over a lookup of each draw's committed round."""

    def __init__(self, committed_round: Callable[[str], Awaitable[int | None]]) -> None:
        self._committed_round = committed_round

    async def round_for(self, campaign_id: str) -> BeaconRound | None:
        number = await self._committed_round(campaign_id)
        return None if number is None else unsigned_round(number)


def sql_rounds(sessions: async_sessionmaker[AsyncSession]) -> RecordedRounds:
    async def committed_round(campaign_id: str) -> int | None:
        async with sessions() as session:
            return (await DrawStore(session).get(campaign_id)).beacon_round

    return RecordedRounds(committed_round)
