from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from lottery_service.domain.beacon import BeaconChain
from platform_shared.contracts.events import RESULTS_PER_PART
from platform_shared.service.settings import ServiceSettings

QUICKNET_CHAIN_HASH = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
QUICKNET_PUBLIC_KEY = ("83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d"
                       "1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef"
                       "5ece45a")
"""League of Entropy's "quicknet" (3 s rounds, scheme bls-unchained-g1-rfc9380), the production beacon."""


class LotterySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LOTTERY_")

    draw_server_secret: SecretStr = Field(min_length=16)
    """Part of every draw seed; never logged, published or returned (SPEC §3)."""
    adgate_secret: SecretStr = Field(min_length=16)
    """Shared with the sponsor landing, which signs the entrant's return with it (seed §5)."""
    adgate_return_validity_seconds: int = Field(default=600, ge=10, le=86400)
    """How long after the visit its signed return is accepted."""
    results_per_part: int = Field(default=RESULTS_PER_PART, ge=1, le=RESULTS_PER_PART)
    """Ranked entrants per draw_completed message (smaller in tests, to make many messages)."""
    beacon_url: str = Field(default="https://api.drand.sh", pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
    """The drand HTTP API the draw's randomness comes from (docs/draw-algorithm.md §8.4): League of Entropy by
    default; the stand-in (platform_deploy/fake_beacon.py) in tests and the demo."""
    beacon_chain_hash: str = Field(default=QUICKNET_CHAIN_HASH, pattern=r"^[0-9a-f]{64}$")
    beacon_public_key: str = Field(default=QUICKNET_PUBLIC_KEY, pattern=r"^[0-9a-f]{192}$")
    """The chain's G2 public key (hex): every round's signature is checked against it."""
    beacon_period_seconds: int = Field(default=3, ge=1, le=3600)
    beacon_genesis_time: int = Field(default=1692803367, ge=1)
    """Unix seconds of the chain's round 1 (quicknet's: 2023-08-23 15:09:27 UTC)."""
    beacon_rounds_after_close: int = Field(default=2, ge=1, le=100)
    """N in R = latest(T) + N (docs/draw-algorithm.md §8.3): the round a close commits to. 2: one period of margin
    against a clock a little behind the beacon's; the stand-in, on the fleet's own clock, needs none (1)."""
    beacon_max_wait_seconds: float = Field(default=10.0, ge=0, le=300)
    """How long an execution waits for its round when it is due within this time; a later one is refused at
    once as pending (the draw waits and says so)."""
    beacon_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    """One request to the beacon: a beacon that does not answer within it counts as unreachable."""

    def beacon_chain(self) -> BeaconChain:
        return BeaconChain(self.beacon_url.rstrip("/"), self.beacon_chain_hash, self.beacon_public_key,
                           self.beacon_period_seconds, self.beacon_genesis_time,
                           rounds_after_close=self.beacon_rounds_after_close)
