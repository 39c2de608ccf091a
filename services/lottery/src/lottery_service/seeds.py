"""Where draw seeds come from (docs/draw-algorithm.md §1): the server secret, which never leaves this
object — not in logs, events, errors or the audit log. Pure: no storage is involved."""

from lottery_service.domain.draw_engine import derive_seed, salted_seed
from lottery_service.models import Draw


class SeedSource:
    """Derives draw seeds from the server secret, which nothing else gets to see."""

    def __init__(self, server_secret: str) -> None:
        self._server_secret = server_secret

    def seed_for(self, draw: Draw) -> bytes:
        """The draw's seed; after a reopen, salted with what its second close drew (issue 13)."""
        seed = derive_seed(draw.campaign_id, draw.draw_at, self._server_secret)
        return seed if draw.seed_salt is None else salted_seed(seed, bytes.fromhex(draw.seed_salt), self._server_secret)
