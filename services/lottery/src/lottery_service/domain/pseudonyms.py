"""Draw ids and the names the public bundle gives entrants (docs/draw-algorithm.md §2–3). Pure.

A draw id hides the Kakao user id from everyone holding the bundle, the seed's holders included: it needs
the campaign's pseudonym key, derived from the server secret and never published."""

import hashlib
import hmac

import numpy as np

from lottery_service.domain.draw_engine import CURRENT, Algorithm, aes_blocks


def pseudonym_key(server_secret: str, campaign_id: str) -> bytes:
    """HMAC-SHA256(serverSecret, "pseudonym-key" || campaignId): the key of a campaign's draw ids. Never
    published, so nobody holding the bundle can compute the draw id of a Kakao id they try."""
    return hmac.new(server_secret.encode(), f"pseudonym-key{campaign_id}".encode(), hashlib.sha256).digest()


def draw_ids(key: bytes, user_ids: np.ndarray, algorithm: Algorithm = CURRENT) -> np.ndarray:
    """Each entrant's draw id under the algorithm: the first 8 bytes (little-endian) of AES-256-ECB(key,
    tag || user id) where the algorithm is pseudonymous, else the user id itself."""
    if not algorithm.pseudonymous:
        return user_ids
    ids: np.ndarray = aes_blocks(key, user_ids, algorithm)[:, 0].astype(np.uint64)
    return ids


def draw_id_names(ids: np.ndarray) -> list[str]:
    """Draw ids as the bundle names them: 8 bytes, little-endian, in hex (no seed involved)."""
    text = ids.astype("<u8").tobytes().hex()
    return [text[16 * i : 16 * i + 16] for i in range(len(ids))]


def pseudonyms(seed: bytes, ids: np.ndarray, algorithm: Algorithm = CURRENT) -> list[str]:
    """What the bundle publishes for each entrant. Pseudonymous algorithms: hex of the draw id (8 bytes,
    little-endian), which the entrant is told on login (GET /campaigns/{id}/entry). LOTTERY2: hex(c_i), the
    whole AES block over the user id, which anyone holding the seed can compute for any id they try."""
    if algorithm.pseudonymous:
        return draw_id_names(ids)
    text = aes_blocks(seed, ids, algorithm).tobytes().hex()
    return [text[32 * i : 32 * i + 32] for i in range(len(ids))]
