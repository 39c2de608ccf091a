"""The public randomness beacon a LOTTERY4 draw mixes into its keys (docs/draw-algorithm.md §8.3–§8.4): which
round a close commits to, when that round is due, whether a round's signature is the beacon's, and the key
seed it gives. Pure: the HTTP client is adapters/beacon.py.

Round r of a drand chain is published at `genesis_time + (r − 1) × period`; its signature is a BLS signature
(scheme `bls-unchained-g1-rfc9380`) over SHA-256(r as 8 bytes big-endian) under the chain's public key, and
its randomness is SHA-256(signature). Nobody inside the platform holds that key, so nobody inside can know a
key of the draw before the committed round exists (seed §3.3 본 실행)."""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from drand_verify import verify_bls_unchained_g1_rfc9380

from lottery_service.domain.kst import kst_iso, kst_minute
from platform_shared.errors import DomainError, InvalidStateError

SCHEME = "bls-unchained-g1-rfc9380"
"""The one scheme verified here: League of Entropy's "quicknet" and the tests' stand-in speak it."""
ROUNDS_AFTER_CLOSE = 2
"""R = latest(T) + 2: the first round at least one period after the close (§8.3), a margin against a service
clock a little behind the beacon's; any R > latest(T) was not published at the close."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_HEX = {48: re.compile(r"[0-9a-f]{96}"), 32: re.compile(r"[0-9a-f]{64}"), 96: re.compile(r"[0-9a-f]{192}")}
_MAX_ROUND = 2**64 - 1


class BeaconRoundPending(InvalidStateError):
    """The committed round is not published yet: the draw waits until `due_at` (and a little after)."""

    def __init__(self, round: int, due_at: datetime) -> None:
        super().__init__(f"beacon round {round} is not published yet: it is due at {kst_minute(due_at)} "
                         f"({kst_iso(due_at)}); execute again after it")
        self.round, self.due_at = round, due_at


class BeaconUnavailable(DomainError):
    """The beacon did not answer usably (no connection, a timeout, a 5xx, an answer that is not drand's): the
    draw waits and says so; there is no fallback randomness (§8.4)."""

    status_code = 503

    def __init__(self, host: str, round: int, reason: str) -> None:
        super().__init__(f"the randomness beacon at {host} did not give round {round} ({reason}); "
                         "the draw waits for it, with no other randomness")
        self.host, self.round, self.reason = host, round, reason


class BeaconInvalid(DomainError):
    """The beacon answered a round that is not its chain's: a wrong signature, a randomness that is not the
    signature's hash, another round. Never used: the draw refuses to run on it (502: the upstream is at fault)."""

    status_code = 502

    def __init__(self, round: int, reason: str) -> None:
        super().__init__(f"beacon round {round} does not verify: {reason}")
        self.round, self.reason = round, reason


@dataclass(frozen=True)
class BeaconChain:
    """One drand chain, as configured and as committed at close (`as_committed`, plus the round)."""

    url: str
    chain_hash: str
    public_key: str
    """G2, 96 bytes compressed, lower-case hex."""
    period: int
    """Seconds between rounds."""
    genesis_time: int
    """Unix seconds at which round 1 was published."""
    scheme: str = SCHEME
    rounds_after_close: int = ROUNDS_AFTER_CLOSE
    """N in R = latest(T) + N (§8.3): at least 1, so the committed round is never published at the close."""

    def __post_init__(self) -> None:
        if self.scheme != SCHEME:
            raise ValueError(f"beacon scheme {self.scheme!r} is not supported (only {SCHEME})")
        if not _HEX[32].fullmatch(self.chain_hash):
            raise ValueError("beacon chain hash must be 64 lower-case hex digits")
        if not _HEX[96].fullmatch(self.public_key):
            raise ValueError("beacon public key must be 192 lower-case hex digits (a compressed G2 point)")
        if self.rounds_after_close < 1:
            raise ValueError("the committed round must come after the close: rounds_after_close ≥ 1")
        if self.period < 1 or self.genesis_time < 1:
            raise ValueError("beacon period and genesis time must be positive whole seconds")

    def latest_round(self, at: datetime) -> int:
        """§8.3 `latest(T) = floor((T − genesis_time) / period) + 1`: the round published at instant `at` (a
        round is published at the very instant it is due). Exact: whole microseconds, no float."""
        if at.tzinfo is None:
            raise ValueError("a beacon instant must be timezone-aware")
        since_genesis = (at - _EPOCH) // _MICROSECOND - self.genesis_time * 1_000_000
        if since_genesis < 0:
            raise InvalidStateError(f"the beacon's first round is published at {kst_minute(self.round_time(1))}: "
                                    f"there is no round at {kst_minute(at)}")
        return since_genesis // (self.period * 1_000_000) + 1

    def round_time(self, round: int) -> datetime:
        """When round `round` is due (UTC)."""
        _check_round(round)
        return datetime.fromtimestamp(self.genesis_time + (round - 1) * self.period, UTC)

    def committed_round(self, closed_at: datetime) -> int:
        """The round a close at `closed_at` commits to: R = latest(T) + N, not published before the close."""
        return self.latest_round(closed_at) + self.rounds_after_close

    def as_committed(self) -> dict[str, str | int]:
        """The chain as the commitment names it (§8.3 `beacon`, without `round`)."""
        return {"chain_hash": self.chain_hash, "genesis_time": self.genesis_time, "period": self.period,
                "public_key": self.public_key, "scheme": self.scheme}


@dataclass(frozen=True)
class BeaconRound:
    """A verified round: its signature is the chain's, its randomness the signature's SHA-256 (hex)."""

    round: int
    randomness: str
    signature: str

    def as_record(self) -> dict[str, str | int]:
        """As a `run` log entry and bundle 2 carry it (§8.5, §8.7)."""
        return {"round": self.round, "randomness": self.randomness, "signature": self.signature}


def verify_round(chain: BeaconChain, round: int, signature_hex: str, randomness_hex: str | None = None) -> BeaconRound:
    """Round `round` with this signature, checked against the chain's public key (and, when the beacon answered
    one, its randomness against SHA-256(signature)); `BeaconInvalid` naming the round otherwise."""
    _check_round(round)
    if not isinstance(signature_hex, str) or not _HEX[48].fullmatch(signature_hex):
        raise BeaconInvalid(round, "the signature is not 96 lower-case hex digits (a compressed G1 point)")
    randomness = hashlib.sha256(bytes.fromhex(signature_hex)).hexdigest()
    if randomness_hex is not None and randomness_hex != randomness:
        raise BeaconInvalid(round, "the randomness answered is not SHA-256 of the signature")
    try:
        verified = verify_bls_unchained_g1_rfc9380(round, signature_hex, chain.public_key)
    except ValueError:
        raise BeaconInvalid(round, "the signature is not the chain's for this round") from None
    except BaseException as error:  # the library panics (a BaseException) on a key it cannot decode
        if type(error).__name__ != "PanicException":
            raise
        raise BeaconInvalid(round, "the configured public key cannot be decoded") from None
    if verified != randomness:
        raise BeaconInvalid(round, "the verifier's randomness differs from SHA-256 of the signature")
    return BeaconRound(round, randomness, signature_hex)


def key_seed(seed: bytes, randomness_hex: str) -> bytes:
    """§8.4 `key_seed = SHA-256(seed || randomness)`: 32 + 32 bytes in, the draw's AES key out."""
    if len(seed) != 32:
        raise ValueError("the draw seed is 32 bytes")
    if not _HEX[32].fullmatch(randomness_hex):
        raise ValueError("beacon randomness must be 64 lower-case hex digits")
    return hashlib.sha256(seed + bytes.fromhex(randomness_hex)).digest()


def _check_round(round: int) -> None:
    if isinstance(round, bool) or not isinstance(round, int) or not 1 <= round <= _MAX_ROUND:
        raise ValueError(f"a beacon round is a whole number from 1 to {_MAX_ROUND}")
