"""The beacon round a LOTTERY4 draw committed to, fetched for its execution (docs/draw-algorithm.md §8.4). The
fetch happens outside the draw's transaction (no row lock is held across the network); a beacon that cannot
be reached marks the draw waiting, with why, until an execution gets the round: the draw's status and the
`LotteryBeaconUnreachable` alert say so. Nothing falls back to a value an insider could know."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.beacon import BeaconClient
from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.models import Draw
from lottery_service.domain.beacon import BeaconInvalid, BeaconRound, BeaconUnavailable
from platform_shared.errors import ConflictError
from platform_shared.time.clock import Clock


class CommittedRounds:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], client: BeaconClient, clock: Clock,
                 max_wait_seconds: float) -> None:
        self._sessions = sessions
        self._client = client
        self._clock = clock
        self._max_wait = max_wait_seconds

    async def round_for(self, campaign_id: str) -> BeaconRound | None:
        """The draw's committed round, verified (None for a draw committed before LOTTERY4)."""
        async with self._sessions() as session:
            draw = await session.get(Draw, campaign_id)
        committed_round = None if draw is None else draw.beacon_round  # no draw: the token's check answers
        if committed_round is None:
            return None
        try:
            return await self._client.wait_for(committed_round, self._max_wait)
        except (BeaconUnavailable, BeaconInvalid) as error:
            await self._mark_waiting(campaign_id, str(error))
            raise

    async def _mark_waiting(self, campaign_id: str, problem: str) -> None:
        async with self._sessions.begin() as session:
            draw = await DrawStore(session).lock(campaign_id)
            draw.beacon_waiting_since = draw.beacon_waiting_since or self._clock.now()
            draw.beacon_problem = problem


def refuse_unless_committed_round(committed_round: int | None, beacon: BeaconRound | None) -> None:
    """The round fetched must still be the one committed (a re-close in between commits to another)."""
    fetched = None if beacon is None else beacon.round
    if fetched != committed_round:
        raise ConflictError("the draw's commitment changed while its beacon round was fetched; execute again",
                            field="token")
