"""Where draw seeds and draw ids come from (docs/draw-algorithm.md §1, §3): the server secret, which never
leaves this object — not in logs, events, errors or the audit log. Pure: no storage is involved."""

import numpy as np

from lottery_service.adapters.models import Draw
from lottery_service.domain.draw_engine import Algorithm, Entrants, derive_seed, salted_seed
from lottery_service.domain.frozen_set import FrozenEntries
from lottery_service.domain.pseudonyms import draw_id_names, draw_ids, pseudonym_key


class SeedSource:
    """Derives draw seeds and pseudonymous draw ids from the server secret, which nothing else gets to see."""

    def __init__(self, server_secret: str) -> None:
        self._server_secret = server_secret

    def seed_for(self, draw: Draw) -> bytes:
        """The draw's seed; after a reopen, salted with what its second close drew."""
        seed = derive_seed(draw.campaign_id, draw.draw_at, self._server_secret)
        return seed if draw.seed_salt is None else salted_seed(seed, bytes.fromhex(draw.seed_salt), self._server_secret)

    def draw_ids(self, campaign_id: str, user_ids: np.ndarray, algorithm: Algorithm) -> np.ndarray:
        """Each user's draw id in the campaign under the algorithm (the user id itself before LOTTERY3)."""
        return draw_ids(pseudonym_key(self._server_secret, campaign_id), user_ids, algorithm)

    def entrants(self, campaign_id: str, user_ids: np.ndarray, weights: np.ndarray, algorithm: Algorithm) -> Entrants:
        """The engine's input: users with their weights and, under a pseudonymous algorithm, their draw ids."""
        ids = self.draw_ids(campaign_id, user_ids, algorithm)
        return Entrants(user_ids, weights, ids if algorithm.pseudonymous else None)

    def frozen_draw_ids(self, campaign_id: str, frozen: FrozenEntries, algorithm: Algorithm) -> np.ndarray:
        """Every entry's draw id in the set: as stored at close, derived again for a set frozen before they were
        stored."""
        return self.draw_ids(campaign_id, frozen.user_ids, algorithm) if frozen.draw_ids is None else frozen.draw_ids

    def drawn_from(self, campaign_id: str, frozen: FrozenEntries, algorithm: Algorithm) -> Entrants:
        """The frozen set's eligible entrants, with their draw ids."""
        drawn = frozen.drawn
        ids = self.frozen_draw_ids(campaign_id, frozen, algorithm)[drawn]
        return Entrants(frozen.user_ids[drawn], frozen.weights[drawn], ids if algorithm.pseudonymous else None)

    def pseudonym(self, draw: Draw, user_id: int) -> str | None:
        """The entrant's line name in the draw's public bundle, told only to them; None where the algorithm's
        pseudonym needs the seed (LOTTERY2: `tools/verify_draw.py --me` computes it after the reveal)."""
        return self.pseudonym_in(draw.campaign_id, draw.draw_algorithm, user_id)

    def pseudonym_in(self, campaign_id: str, algorithm: Algorithm, user_id: int) -> str | None:
        if not algorithm.pseudonymous:
            return None
        [name] = draw_id_names(self.draw_ids(campaign_id, np.array([user_id], dtype=np.uint64), algorithm))
        return name
